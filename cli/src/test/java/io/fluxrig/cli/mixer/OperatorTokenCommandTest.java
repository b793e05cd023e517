package io.fluxrig.cli.mixer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.CliRun;
import io.fluxrig.snake.api.OperatorTokenFiles;
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

    private final CliRun cli = new CliRun();

    @Test
    void rotateWritesANewTokenAndItsHashOwnerOnlyAndPrintsNoSecret() throws Exception {
        String old = OperatorTokenFiles.generate(new SecureRandom());
        OperatorTokenFiles.write(data, old, null);
        assertEquals(0, cli.run("operator-token", "rotate", "--data", data.toString()));
        String fresh = Files.readString(data.resolve("operator.token")).strip();
        assertNotEquals(old, fresh);
        assertTrue(fresh.startsWith("frm_"), fresh);
        assertArrayEquals(OperatorTokenFiles.sha256(fresh), OperatorTokenFiles.read(data).sha256());
        assertNull(OperatorTokenFiles.read(data).expires());
        for (String f : new String[] {"operator.token", "api-token.sha256"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(f))), f);
        }
        String said = cli.out();
        assertTrue(said.contains(data.resolve("operator.token").toString()) && !said.contains(fresh), said);
    }

    @Test
    void anExpiryIsStoredWithTheHash() throws Exception {
        OperatorTokenFiles.write(data, OperatorTokenFiles.generate(new SecureRandom()), null);
        Instant before = Instant.now();
        assertEquals(0, cli.run("operator-token", "rotate", "--data", data.toString(), "--ttl", "90d", "--json"));
        Instant expires = OperatorTokenFiles.read(data).expires();
        assertTrue(!expires.isBefore(before.plus(Duration.ofDays(90))) && expires.isBefore(Instant.now().plus(Duration.ofDays(90)).plusSeconds(1)),
                expires.toString());
        assertTrue(cli.out().contains("\"expires\":\"" + expires + "\""), cli.out());
    }

    @Test
    void misusesAreNamed() {
        assertEquals(2, cli.run("operator-token", "rotate", "--data", data.toString()));
        assertTrue(cli.err().contains("is not a Mixer data folder"), cli.err());
        assertFalse(Files.exists(data.resolve("operator.token")));
        assertEquals(2, cli.run("operator-token", "rotate", "--data", data.toString(), "--ttl", "soon"));
        assertTrue(cli.err().contains("--ttl 'soon'"), cli.err());
    }
}
