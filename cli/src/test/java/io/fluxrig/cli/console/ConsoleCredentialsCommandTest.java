package io.fluxrig.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleCredentialsCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        out.reset();
        err.reset();
        List<String> all = new java.util.ArrayList<>(List.of("console-credentials"));
        all.addAll(List.of(args));
        return io.fluxrig.cli.Main.run(all.toArray(String[]::new), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void passwordFromStdinIsStoredOnlyAsItsHashInTheOwnerOnlyConfigFile() throws Exception {
        assertEquals(0, run("s3cret-pass\n", "--data", dir.toString(), "--user", "ops", "--password-stdin"));
        Path file = dir.resolve("etc/io.fluxrig.console.cfg");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(file.toString()), out.toString(StandardCharsets.UTF_8));
        String stored = Files.readString(file);
        assertFalse(stored.contains("s3cret-pass"), "plain password must not be stored");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        ConsoleCredentialsFile.Stored s = ConsoleCredentialsFile.read(dir.resolve("etc"));
        assertEquals("ops", s.user());
        assertTrue(ConsolePasswordHash.matches("s3cret-pass".toCharArray(), s.passwordHash()));
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("s3cret-pass"));
    }

    @Test
    void passwordFromAFileAndAUserChangeKeepsTheHash() throws Exception {
        Path pw = dir.resolve("pw.txt");
        Files.writeString(pw, "another-pass-1\nignored second line\n");
        assertEquals(0, run("", "--data", dir.toString(), "--password-file", pw.toString()));
        String hash = ConsoleCredentialsFile.read(dir.resolve("etc")).passwordHash();
        assertTrue(ConsolePasswordHash.matches("another-pass-1".toCharArray(), hash));
        assertEquals(0, run("", "--data", dir.toString(), "--user", "ops2", "--json"));
        assertEquals(new ConsoleCredentialsFile.Stored("ops2", hash), ConsoleCredentialsFile.read(dir.resolve("etc")));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("{\"user\":\"ops2\""), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutAPasswordNothingIsGeneratedHere() throws Exception {
        assertEquals(0, run("", "--data", dir.toString(), "--user", "ops"));
        assertNull(ConsoleCredentialsFile.read(dir.resolve("etc")).passwordHash(), "the console generates it at its start");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("generates one at its next start"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAdminShortPasswordsAndAPasswordArgument() {
        assertEquals(2, run("admin\n", "--data", dir.toString(), "--user", "admin", "--password-stdin"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("at least 8"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("", "--data", dir.toString(), "--password", "long-enough-1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown argument '--password'"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("", "--data", dir.toString(), "--password-stdin", "--password-file", "x"));
        assertEquals(2, run("", "--user", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--data DIR is required"));
        assertFalse(Files.exists(dir.resolve("etc")), "nothing written by a refused command");
    }
}
