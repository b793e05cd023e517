package io.fluxrig.cli.mixer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.Main;
import io.fluxrig.snake.api.OperatorTokenFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorTokenCommandTest {
    @TempDir
    Path data;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void rotateWritesANewTokenAndItsHashOwnerOnlyAndPrintsNoSecret() throws Exception {
        String old = OperatorTokenFiles.generate(new SecureRandom());
        OperatorTokenFiles.write(data, old, null);
        assertEquals(0, run("operator-token", "rotate", "--data", data.toString()));
        String fresh = Files.readString(data.resolve("operator.token")).strip();
        assertNotEquals(old, fresh);
        assertTrue(fresh.startsWith("frm_"), fresh);
        assertArrayEquals(OperatorTokenFiles.sha256(fresh), OperatorTokenFiles.read(data).sha256());
        assertNull(OperatorTokenFiles.read(data).expires());
        for (String f : new String[] {"operator.token", "api-token.sha256"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(f))), f);
        }
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains(data.resolve("operator.token").toString()) && !said.contains(fresh), said);
    }

    @Test
    void anExpiryIsStoredWithTheHash() throws Exception {
        OperatorTokenFiles.write(data, OperatorTokenFiles.generate(new SecureRandom()), null);
        Instant before = Instant.now();
        assertEquals(0, run("operator-token", "rotate", "--data", data.toString(), "--ttl", "90d", "--json"));
        Instant expires = OperatorTokenFiles.read(data).expires();
        assertTrue(!expires.isBefore(before.plus(Duration.ofDays(90))) && expires.isBefore(Instant.now().plus(Duration.ofDays(90)).plusSeconds(1)),
                expires.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"expires\":\"" + expires + "\""), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void misusesAreNamed() {
        assertEquals(2, run("operator-token", "rotate", "--data", data.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a Mixer data folder"), err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(data.resolve("operator.token")));
        assertEquals(2, run("operator-token", "rotate", "--data", data.toString(), "--ttl", "soon"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--ttl 'soon'"), err.toString(StandardCharsets.UTF_8));
    }
}
