package io.fluxrig.cli.mixer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code token [--rack NAME] [--labels k=v,...] [--ttl 1h] (--token-file FILE | --json | --show)}:
 * mints a one-time enrolment token. The token is a secret that enrols a rack: it goes to a 0600
 * file, or to stdout only when asked for explicitly ({@code --json} for scripts, {@code --show}).
 */
@Command(name = "token", description = {"mint a one-time rack enrolment token on the Mixer",
        "The token enrols a rack, so it is never printed unless asked for: --token-file FILE writes it and the CA hash "
                + "to FILE (mode 0600) and prints when it expires and the rack command that reads the file; --json prints one "
                + "object {token, rack, expiresAt, caHash, command} for scripts (with --token-file: without the token, with "
                + "tokenFile); --show prints the token and the rack command with --token and --ca-hash, which prompts for the "
                + "token (the rack never takes it as an argument). Without one of them nothing is minted.",
        MixerApiOptions.ENVIRONMENT})
public final class TokenCommand implements Callable<Integer> {
    @Option(names = "--rack", paramLabel = "NAME", description = "the only rack name the token enrols (default: any name)")
    String rack;
    @Option(names = "--labels", paramLabel = "k=v,...", description = "labels the enrolled rack gets")
    String labels;
    @Option(names = "--ttl", paramLabel = "TTL", defaultValue = "1h", description = "how long the token is valid: 90s, 30m, 1h, 2d (default ${DEFAULT-VALUE})")
    String ttl;
    @Option(names = "--json", description = "print one JSON object (for scripts); it holds the token unless --token-file")
    boolean json;
    @Option(names = "--show", description = "print the token on the terminal (prefer --token-file)")
    boolean show;
    @Option(names = "--token-file", paramLabel = "FILE", description = "write the token and the CA hash to FILE (mode 0600, the form "
            + "'rack --token-file' reads) instead of printing the token; the printed rack command then reads it with --token-file FILE, "
            + "so the token stays out of the terminal and shell history")
    Path tokenFile;
    @Mixin
    MixerApiOptions apiOptions;
    @Spec
    CommandSpec spec;

    private final Console console;

    TokenCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        if (tokenFile == null && !json && !show) {
            throw new ParameterException(spec.commandLine(), "the token is a secret and is not printed unless asked for: give "
                    + "--token-file FILE (written 0600; 'rack --token-file FILE' reads it), --json (scripts) or --show");
        }
        if (tokenFile != null && show) {
            throw new ParameterException(spec.commandLine(), "--show prints the token that --token-file keeps in its file: give one of them");
        }
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String kv : (labels == null ? "" : labels).split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq < 1) {
                throw new ParameterException(spec.commandLine(), "--labels wants k=v,... (got '" + kv + "')");
            }
            labelMap.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        String body = new String(SnakeCodec.json().write(new TokenRequest(rack, labelMap, ttl)), StandardCharsets.UTF_8);
        MixerApiClient.Reply r = apiOptions.client(console).call("POST", OperatorPaths.TOKENS, body);
        if (r.status() != 201 || !(r.json() instanceof Map<?, ?> m)) {
            console.err().println("fluxrig token: the Mixer refused: " + r.error());
            return Exit.FAILED;
        }
        Map<?, ?> t = (Map<?, ?>) Times.iso(m);
        if (tokenFile != null) {
            t = handOver(t);
        }
        if (json) {
            console.out().println(Pretty.compact(t));
            return Exit.OK;
        }
        console.out().println(tokenFile != null ? "token:   in " + t.get("tokenFile") + " (mode 0600)" : "token:   " + t.get("token"));
        console.out().println("expires: " + t.get("expiresAt"));
        console.out().println(tokenFile != null ? "start the rack with:" : "start the rack with (it asks for the token; not echoed):");
        console.out().println("  " + t.get("command"));
        return Exit.OK;
    }

    /** Writes the token to {@link #tokenFile} (0600) and returns the reply without it, the command reading the file instead. */
    private Map<?, ?> handOver(Map<?, ?> t) throws IOException {
        String token = String.valueOf(t.get("token"));
        Path file = tokenFile.toAbsolutePath().normalize();
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "{\"token\":\"" + token + "\",\"caHash\":\"" + t.get("caHash") + "\"}\n");
        Map<String, Object> without = new LinkedHashMap<>();
        t.forEach((k, v) -> without.put(String.valueOf(k), v));
        without.remove("token");
        without.put("tokenFile", file.toString());
        // The Mixer's command reads '--token --ca-hash H' (the rack prompts); a value after --token goes too, so no token is printed.
        without.put("command", String.valueOf(t.get("command")).replaceFirst("--token( \\S+)? --ca-hash \\S+",
                java.util.regex.Matcher.quoteReplacement("--token-file " + file)));
        return without;
    }
}
