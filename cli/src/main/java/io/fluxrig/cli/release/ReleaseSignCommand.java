package io.fluxrig.cli.release;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Misuse;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.PublisherKeys;
import io.fluxrig.snake.api.release.ReleaseStatement;
import io.fluxrig.snake.api.release.SignedRelease;
import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code release sign FILE --key KEY}: writes {@code FILE.sig}, a {@link SignedRelease} (JSON)
 * over the file's {@link ReleaseStatement}. A bundle's name and version come from its manifest;
 * the sequence defaults to the current time in seconds, so releases signed later count higher
 * without a counter to keep. Stateless.
 */
@Command(name = "sign", customSynopsis = "fluxrig release sign FILE --key KEY [--sequence N] [--name NAME] [--version V] "
        + "[--kind bundle|patch] [--valid-days N | --not-after INSTANT] [--allow-downgrade] [--out SIG] [--json]",
        description = {"sign a bundle or patch: write a detached signature FILE.sig",
                "The signature covers a release statement: kind, name, version, sha-256, size, sequence, not-after, "
                        + "allow-downgrade. A jar with a Bundle-SymbolicName is a bundle (name and version from its manifest); "
                        + "anything else is a patch (name: --name or the file name without extension; version: --version or "
                        + "the sequence).",
                "Racks refuse a statement whose sequence is not above the last one installed for the same name unless it "
                        + "carries --allow-downgrade, and any statement past not-after.",
                "'fluxrig deploy' sends FILE.sig along with FILE when it exists.",
                "Exit codes: 0 signed, 1 a file missing or unreadable, 2 usage."})
public final class ReleaseSignCommand implements Callable<Integer>, Misuse.UsageOnMisuse {
    @Parameters(paramLabel = "FILE", description = "the bundle (.jar) or patch to sign")
    Path file;
    @Option(names = "--key", required = true, paramLabel = "KEY", description = "the publisher key file (from release keygen)")
    Path key;
    @Option(names = "--sequence", paramLabel = "N", description = "the release's sequence for its name (default: now, in epoch seconds)")
    Long sequence;
    @Option(names = "--name", paramLabel = "NAME", description = "a patch's release name (a bundle's is its symbolic name)")
    String name;
    @Option(names = "--version", paramLabel = "V", description = "a patch's version (a bundle's is its Bundle-Version)")
    String version;
    @Option(names = "--kind", paramLabel = "KIND", description = "bundle or patch (default: bundle for a jar with a manifest)")
    String kind;
    @Option(names = "--valid-days", paramLabel = "N", defaultValue = "30", description = "days until the statement expires (default ${DEFAULT-VALUE})")
    int validDays;
    @Option(names = "--not-after", paramLabel = "INSTANT", description = "expiry as an ISO-8601 instant (instead of --valid-days)")
    String notAfter;
    @Option(names = "--allow-downgrade", description = "let racks install this release although its sequence is not above theirs (a rollback)")
    boolean allowDowngrade;
    @Option(names = "--out", paramLabel = "SIG", description = "where to write the signature (default FILE.sig)")
    Path out;
    @Option(names = "--json", description = "print the signed statement as one JSON object (for scripts)")
    boolean json;
    @Spec
    CommandSpec spec;

    private final Console console;
    private final Clock clock;

    ReleaseSignCommand(Console console) {
        this(console, Clock.systemUTC());
    }

    ReleaseSignCommand(Console console, Clock clock) {
        this.console = console;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            console.err().println("fluxrig release sign: " + file + ": no such file");
            return Exit.FAILED;
        }
        if (validDays < 1 || validDays > 3650) {
            throw new ParameterException(spec.commandLine(), "--valid-days: " + validDays + " must be 1 to 3650");
        }
        if (sequence != null && sequence < 1) {
            throw new ParameterException(spec.commandLine(), "--sequence: " + sequence + " must be 1 or more");
        }
        if (kind != null && !kind.equals(ReleaseStatement.BUNDLE) && !kind.equals(ReleaseStatement.PATCH)) {
            throw new ParameterException(spec.commandLine(), "--kind: '" + kind + "' must be bundle or patch");
        }
        Instant expiry;
        try {
            expiry = notAfter == null ? clock.instant().plus(Duration.ofDays(validDays)) : Instant.parse(notAfter);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--not-after: '" + notAfter + "' must be an ISO-8601 instant, "
                    + "e.g. 2026-12-31T00:00:00Z");
        }
        KeyPair keys;
        byte[] content;
        try {
            keys = PublisherKeyFile.read(key);
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            console.err().println("fluxrig release sign: " + e.getMessage());
            return Exit.FAILED;
        }
        Manifest manifest = manifest(content);
        String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        String k = kind != null ? kind : bsn != null ? ReleaseStatement.BUNDLE : ReleaseStatement.PATCH;
        long seq = sequence != null ? sequence : clock.instant().getEpochSecond();
        String n;
        String v;
        if (k.equals(ReleaseStatement.BUNDLE)) {
            if (bsn == null) {
                console.err().println("fluxrig release sign: " + file + " is not an OSGi bundle (no Bundle-SymbolicName); "
                        + "use --kind patch for a patch");
                return Exit.FAILED;
            }
            n = bsn.split(";", 2)[0].trim();
            String bv = manifest.getMainAttributes().getValue("Bundle-Version");
            v = bv == null ? "0.0.0" : bv.trim();
            if (name != null && !name.equals(n)) {
                throw new ParameterException(spec.commandLine(), "--name: a bundle's release name is its symbolic name " + n);
            }
            if (version != null && !version.equals(v)) {
                throw new ParameterException(spec.commandLine(), "--version: a bundle's version is its Bundle-Version " + v);
            }
        } else {
            String fileName = file.getFileName().toString();
            n = name != null ? name : fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
            v = version != null ? version : Long.toString(seq);
        }
        ReleaseStatement statement = new ReleaseStatement(k, n, v, sha256(content), content.length, seq,
                ReleaseStatement.instant(expiry), allowDowngrade);
        String problem = statement.problem();
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        SignedRelease signed;
        try {
            signed = PublisherKeys.sign(statement, keys.getPrivate(), keys.getPublic());
        } catch (GeneralSecurityException e) {
            console.err().println("fluxrig release sign: signing failed: " + e.getMessage());
            return Exit.FAILED;
        }
        Path target = out != null ? out : Path.of(file + SignedRelease.SUFFIX);
        String text = new String(SnakeCodec.json().write(signed), StandardCharsets.UTF_8);
        try {
            Pem.write(target, text + "\n", false);
        } catch (IOException e) {
            console.err().println("fluxrig release sign: cannot write " + target + ": " + e.getMessage());
            return Exit.FAILED;
        }
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("file", file.toString());
            o.put("signature", target.toString());
            o.put("release", signed);
            console.out().println(new String(SnakeCodec.json().write(o), StandardCharsets.UTF_8));
        } else {
            console.out().println("signed " + file + ": " + k + " " + n + " " + v + ", sequence " + seq + ", not after "
                    + statement.notAfter() + (allowDowngrade ? ", downgrade allowed" : "") + ", key " + signed.key());
            console.out().println("  signature: " + target);
        }
        return Exit.OK;
    }

    private static Manifest manifest(byte[] content) {
        try (InputStream in = new java.io.ByteArrayInputStream(content); JarInputStream jar = new JarInputStream(in, false)) {
            return jar.getManifest();
        } catch (IOException e) {
            return null;
        }
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
