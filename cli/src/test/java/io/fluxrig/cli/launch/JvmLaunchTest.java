package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rack and Mixer command lines, against a checkout laid out in a temporary folder. */
class JvmLaunchTest {
    @TempDir
    Path root;

    private Layout layout() throws IOException {
        Files.createDirectories(root.resolve("run/target"));
        Files.writeString(root.resolve("run/target/rack-base.jar"), "jar");
        Files.writeString(root.resolve("run/target/mixer.jar"), "jar");
        return new Layout(root);
    }

    @Test
    void aRackEnrolledWithTheMixer() throws Exception {
        Path data = root.resolve("racks/edge");
        List<String> c = JvmLaunch.rack(layout(), new JvmLaunch.Rack("edge", true, data, null, 8181, "ops", "secret-pass", "127.0.0.1:7443",
                "tok", "sha256:ab", 1000, null, null), List.of("-Dextra=1"), Map.of("FLUXRIG_JAVA_OPTS", "-Xmx256m -Dx=y"));
        assertEquals(Layout.java(), c.get(0));
        assertEquals(List.of("-jar", root.resolve("run/target/rack-base.jar").toString()), c.subList(c.size() - 2, c.size()));
        int own = c.indexOf("-Xmx256m");
        assertTrue(own > 0 && c.get(own + 1).equals("-Dx=y") && c.get(own + 2).equals("-Dextra=1"), c.toString());
        for (String p : List.of("-Dfluxrig.rack.name=edge", "-Dfluxrig.rack.data=" + data, "-Dorg.osgi.service.http.port=8181", "-Dfelix.fileinstall.dir=" + data.resolve("gears"))) {
            assertTrue(c.contains(p), p + " in " + c);
        }
        assertFalse(c.stream().anyMatch(a -> a.startsWith("-Dfluxrig.rack.patch=") || a.startsWith("-Dfluxrig.mixer")), c.toString());
        // The Snake's settings: a configuration file for ConfigAdmin; the token in its own 0600 file, not an argument.
        assertEquals("mixer=127.0.0.1:7443\nca.hash=sha256:ab\ntoken.file=" + data.resolve("enrol.token") + "\nheartbeat.ms=1000\n",
                Files.readString(data.resolve("gears/io.fluxrig.rack.snake.cfg")));
        assertEquals("tok\n", Files.readString(data.resolve("enrol.token")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("enrol.token"))));
        assertFalse(c.stream().anyMatch(a -> a.contains("tok") && !a.contains("token")), "the token is in no argument");
        // The console's credentials: user and PBKDF2 hash in the 0600 configuration file, nothing in an argument.
        assertFalse(c.stream().anyMatch(a -> a.contains("secret-pass") || a.contains("webconsole") || a.contains("pbkdf2")), c.toString());
        ConsoleCredentialsFile.Stored stored = ConsoleCredentialsFile.read(data.resolve("etc"));
        assertEquals("ops", stored.user());
        assertTrue(ConsolePasswordHash.matches("secret-pass".toCharArray(), stored.passwordHash()), stored.toString());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ConsoleCredentialsFile.file(data))));
        assertTrue(Files.isDirectory(data.resolve("gears")));
    }

    @Test
    void theMixerAndAMissingJar() throws Exception {
        Layout layout = layout();
        Path data = root.resolve("mixer");
        List<String> c = JvmLaunch.mixer(layout, new JvmLaunch.Mixer(data, "nats://127.0.0.1:4222", 7443, null, 8443, null, null, "ops",
                "secret-pass"), List.of(), Map.of());
        assertTrue(ConsolePasswordHash.matches("secret-pass".toCharArray(), ConsoleCredentialsFile.read(data.resolve("etc")).passwordHash()));
        assertFalse(c.stream().anyMatch(a -> a.contains("secret-pass") || a.contains("webconsole")), c.toString());
        assertTrue(c.containsAll(List.of("-Dfluxrig.mixer.data=" + data, "-Dfluxrig.mixer.nats=nats://127.0.0.1:4222",
                "-Dfluxrig.mixer.snake.port=7443", "-Dfluxrig.mixer.api.port=8443", "-jar", root.resolve("run/target/mixer.jar").toString())),
                c.toString());
        Files.delete(root.resolve("run/target/rack-base.jar"));
        IOException e = assertThrows(IOException.class, () -> JvmLaunch.rack(layout, new JvmLaunch.Rack("edge", true, root.resolve("r"),
                null, 8181, null, "secret-pass", null, null, null, null, null, null), List.of(), Map.of()));
        assertEquals(root.resolve("run/target/rack-base.jar") + " is not built; build first: run/fluxrig build", e.getMessage());
    }
}
