package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code token [--rack NAME] [--labels k=v,...] [--ttl 1h] [--json]}: mints a one-time enrolment token. */
@Command(name = "token", description = {"mint a one-time rack enrolment token on the Mixer",
        "Prints the token, when it expires, and the exact command that starts the rack (with --ca-hash); with --json "
                + "one object {token, rack, expiresAt, caHash, command} for scripts.",
        MixerApiOptions.ENVIRONMENT})
public final class TokenCommand implements Callable<Integer> {
    @Option(names = "--rack", paramLabel = "NAME", description = "the only rack name the token enrols (default: any name)")
    String rack;
    @Option(names = "--labels", paramLabel = "k=v,...", description = "labels the enrolled rack gets")
    String labels;
    @Option(names = "--ttl", paramLabel = "TTL", defaultValue = "1h", description = "how long the token is valid: 90s, 30m, 1h, 2d (default ${DEFAULT-VALUE})")
    String ttl;
    @Option(names = "--json", description = "print one JSON object (for scripts)")
    boolean json;
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
        StringBuilder body = new StringBuilder("{\"ttl\":").append(MixerApiClient.quote(ttl));
        if (rack != null) {
            body.append(",\"rack\":").append(MixerApiClient.quote(rack));
        }
        body.append(",\"labels\":{");
        String sep = "";
        for (String kv : (labels == null ? "" : labels).split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq < 1) {
                throw new ParameterException(spec.commandLine(), "--labels wants k=v,... (got '" + kv + "')");
            }
            body.append(sep).append(MixerApiClient.quote(kv.substring(0, eq).trim())).append(':')
                    .append(MixerApiClient.quote(kv.substring(eq + 1).trim()));
            sep = ",";
        }
        body.append("}}");
        MixerApiClient.Reply r = apiOptions.client(console).call("POST", OperatorPaths.TOKENS, body.toString());
        if (r.status() != 201 || !(r.json() instanceof Map<?, ?> m)) {
            console.err().println("fluxrig token: the Mixer refused: " + r.error());
            return Exit.FAILED;
        }
        Map<?, ?> t = (Map<?, ?>) Times.iso(m);
        if (json) {
            console.out().println(Pretty.compact(t));
            return Exit.OK;
        }
        console.out().println("token:   " + t.get("token"));
        console.out().println("expires: " + t.get("expiresAt"));
        console.out().println("start the rack with:");
        console.out().println("  " + t.get("command"));
        return Exit.OK;
    }
}
