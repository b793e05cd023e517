package io.fluxrig.cli.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollout}'s own checks, before anything reaches the Mixer (the Mixer's side: mixer.bundle's rollout tests). */
class RolloutCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageErrorsAndMissingFilesSendNothing() {
        assertRefused(2, "--to", "rollout", "create", "--bundle", "x.jar");
        assertRefused(2, "nothing to roll out: give --bundle FILE and/or --patch FILE", "rollout", "create", "--to", "all");
        assertRefused(2, "--soak: 'soon' must look like 500ms, 30s, 10m or 1h",
                "rollout", "create", "--to", "all", "--bundle", "x.jar", "--soak", "soon");
        assertRefused(2, "--max-error-rate: '120%' must be a share like 5% or 0.05 (0 to 100%)",
                "rollout", "create", "--to", "all", "--bundle", "x.jar", "--max-error-rate", "120%");
        assertRefused(2, "--max-error-rate: 'lots'",
                "rollout", "create", "--to", "all", "--bundle", "x.jar", "--max-error-rate", "lots");
        assertRefused(2, "--max-p99: '0ms' must be more than 0",
                "rollout", "create", "--to", "all", "--bundle", "x.jar", "--max-p99", "0ms");
        assertRefused(2, "--max-p99: 'fast' must look like 500ms, 30s, 10m or 1h",
                "rollout", "create", "--to", "all", "--bundle", "x.jar", "--max-p99", "fast");
        assertRefused(1, "none.jar: no such file; nothing was sent",
                "rollout", "create", "--to", "all", "--bundle", dir.resolve("none.jar").toString(), "--api",
                "https://127.0.0.1:9", "--api-token-file", tokenFile());
        assertEquals(0, run("rollout", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("create"), out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("rollback"), out.toString(StandardCharsets.UTF_8));
        err.reset();
        assertRefused(2, "ID", "rollout", "rollback");
    }

    @Test
    void watchFollowsOneRolloutAndNotAsJson() {
        assertRefused(2, "--watch follows one rollout: give its ID (and no --json)", "rollout", "status", "--watch");
        assertRefused(2, "--watch follows one rollout", "rollout", "status", "0123456789abcdef", "--watch", "--json");
    }

    @Test
    void commandsCancelNeedsTheRackAndTheId() {
        assertRefused(2, "fluxrig commands cancel: ID is missing", "commands", "cancel", "lab");
        out.reset();
        assertEquals(0, run("commands", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("list") && help.contains("cancel"), help);
    }

    @Test
    void commandsSendNeedsASelectorATypeAndWellFormedArguments() {
        assertRefused(2, "--to", "commands", "send", "renew-certificate");
        assertRefused(2, "--arg 'digest' must be K=V",
                "commands", "send", "--to", "tier=edge", "fetch-artifact", "--arg", "digest", "--api",
                "https://127.0.0.1:9", "--api-token-file", tokenFile());
        assertRefused(2, "--wait-s must be 0 or more", "commands", "send", "--to", "all", "renew-certificate", "--wait-s", "-1");
        out.reset();
        assertEquals(0, run("commands", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("send") && help.contains("fanout"), help);
    }

    /** Runs the command and expects this exit code with this text on stderr (then clears stderr). */
    private void assertRefused(int exit, String expected, String... args) {
        assertEquals(exit, run(args));
        assertTrue(err().contains(expected), err());
        err.reset();
    }

    /** An operator token file (the API is never reached: these commands refuse before sending). */
    private String tokenFile() {
        try {
            return java.nio.file.Files.writeString(dir.resolve("operator.token"), "t").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
