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
        assertEquals(2, run("rollout", "create", "--bundle", "x.jar"));
        assertTrue(err().contains("--to"), err());
        err.reset();
        assertEquals(2, run("rollout", "create", "--to", "all"));
        assertTrue(err().contains("nothing to roll out: give --bundle FILE and/or --patch FILE"), err());
        err.reset();
        assertEquals(2, run("rollout", "create", "--to", "all", "--bundle", "x.jar", "--soak", "soon"));
        assertTrue(err().contains("--soak: 'soon' must look like 500ms, 30s, 10m or 1h"), err());
        err.reset();
        assertEquals(2, run("rollout", "create", "--to", "all", "--bundle", "x.jar", "--max-error-rate", "120%"));
        assertTrue(err().contains("--max-error-rate: '120%' must be a share like 5% or 0.05 (0 to 100%)"), err());
        err.reset();
        assertEquals(2, run("rollout", "create", "--to", "all", "--bundle", "x.jar", "--max-error-rate", "lots"));
        assertTrue(err().contains("--max-error-rate: 'lots'"), err());
        err.reset();
        assertEquals(2, run("rollout", "create", "--to", "all", "--bundle", "x.jar", "--max-p99", "0ms"));
        assertTrue(err().contains("--max-p99: '0ms' must be more than 0"), err());
        err.reset();
        assertEquals(2, run("rollout", "create", "--to", "all", "--bundle", "x.jar", "--max-p99", "fast"));
        assertTrue(err().contains("--max-p99: 'fast' must look like 500ms, 30s, 10m or 1h"), err());
        err.reset();
        assertEquals(1, run("rollout", "create", "--to", "all", "--bundle", dir.resolve("none.jar").toString(), "--api",
                "https://127.0.0.1:9", "--api-token-file", tokenFile()));
        assertTrue(err().contains("none.jar: no such file; nothing was sent"), err());
        err.reset();
        assertEquals(0, run("rollout", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("create"), out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("rollback"), out.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run("rollout", "rollback"));
        assertTrue(err().contains("ID"), err());
    }

    @Test
    void watchFollowsOneRolloutAndNotAsJson() {
        assertEquals(2, run("rollout", "status", "--watch"));
        assertTrue(err().contains("--watch follows one rollout: give its ID (and no --json)"), err());
        err.reset();
        assertEquals(2, run("rollout", "status", "0123456789abcdef", "--watch", "--json"));
        assertTrue(err().contains("--watch follows one rollout"), err());
    }

    @Test
    void commandsCancelNeedsTheRackAndTheId() {
        assertEquals(2, run("commands", "cancel", "lab"));
        assertTrue(err().contains("fluxrig commands cancel: ID is missing"), err());
        err.reset();
        out.reset();
        assertEquals(0, run("commands", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("list") && help.contains("cancel"), help);
    }

    @Test
    void commandsSendNeedsASelectorATypeAndWellFormedArguments() {
        assertEquals(2, run("commands", "send", "renew-certificate"));
        assertTrue(err().contains("--to"), err());
        err.reset();
        assertEquals(2, run("commands", "send", "--to", "tier=edge", "fetch-artifact", "--arg", "digest", "--api",
                "https://127.0.0.1:9", "--api-token-file", tokenFile()));
        assertTrue(err().contains("--arg 'digest' must be K=V"), err());
        err.reset();
        assertEquals(2, run("commands", "send", "--to", "all", "renew-certificate", "--wait-s", "-1"));
        assertTrue(err().contains("--wait-s must be 0 or more"), err());
        err.reset();
        out.reset();
        assertEquals(0, run("commands", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("send") && help.contains("fanout"), help);
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
