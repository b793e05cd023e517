package io.fluxrig.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleCredentialsCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        List<String> all = new java.util.ArrayList<>(List.of("console-credentials"));
        all.addAll(List.of(args));
        return io.fluxrig.cli.Main.run(all.toArray(String[]::new), new java.io.ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void firstStartGeneratesAPasswordShownOnceAndStoresOnlyItsHash() throws Exception {
        assertEquals(0, run("--data", dir.toString()));
        Matcher m = Pattern.compile("password '([^']+)'").matcher(err.toString(StandardCharsets.UTF_8));
        assertTrue(m.find(), err.toString(StandardCharsets.UTF_8));
        String password = m.group(1);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("fluxrig", lines[0]);
        assertTrue(ConsolePasswordHash.matches(password, lines[1]));
        assertFalse(ConsolePasswordHash.matches("admin", lines[1]));

        Path file = dir.resolve(ConsoleCredentialsCommand.FILE);
        String stored = Files.readString(file);
        assertFalse(stored.contains(password), "plain password must not be stored");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        // Second start: same hash, nothing printed on stderr.
        assertEquals(0, run("--data", dir.toString()));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertEquals(lines[1], out.toString(StandardCharsets.UTF_8).split("\n")[1]);
    }

    @Test
    void givenPasswordReplacesTheStoredOne() {
        assertEquals(0, run("--data", dir.toString(), "--user", "ops", "--password", "s3cret-pass"));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("ops", lines[0]);
        assertTrue(ConsolePasswordHash.matches("s3cret-pass", lines[1]));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAdminAdminAndShortPasswords() {
        assertEquals(2, run("--data", dir.toString(), "--user", "admin", "--password", "admin"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("at least 8"));
        assertEquals(2, run("--data", dir.toString(), "--bogus", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown argument '--bogus'"));
        assertEquals(2, run("--user", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--data DIR is required"));
    }

    @Test
    void hashFormatIsTheWebConsoleOne() {
        // {sha-256}<salt>-<iterations>-<base64 of SHA-256 iterated over salt+password>
        String h = ConsolePasswordHash.hash("pw", "00ff", 1);
        assertEquals("{sha-256}00ff-1-" + java.util.Base64.getEncoder().encodeToString(sha256("00ffpw")), h);
        assertTrue(ConsolePasswordHash.matches("pw", h));
        assertFalse(ConsolePasswordHash.matches("pW", h));
        assertFalse(ConsolePasswordHash.matches("pw", "plain"));
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
