package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        StartLine line = JvmLaunch.rack(layout(), new JvmLaunch.Rack("edge", true, data, null, 8181, "ops", "secret-pass", "127.0.0.1:7443",
                "tok", "sha256:ab", 1000, null, null), List.of("-Dextra=1"), Map.of("FLUXRIG_JAVA_OPTS", "-Xmx256m -Dx=y"));
        List<String> c = line.argv();
        assertEquals(data, line.dir(), "the rack runs in its folder");
        assertEquals(Layout.java(), c.get(0));
        assertEquals(List.of("-jar", root.resolve("run/target/rack-base.jar").toString()), c.subList(c.size() - 2, c.size()));
        int own = c.indexOf("-Xmx256m");
        assertTrue(own > 0 && c.get(own + 1).equals("-Dx=y") && c.get(own + 2).equals("-Dextra=1"), c.toString());
        assertFalse(c.stream().anyMatch(a -> a.startsWith("-Dfluxrig.") || a.startsWith("-Dorg.osgi") || a.startsWith("-Dfelix.fileinstall")),
                "settings are files, not JVM arguments: " + c);
        assertEquals(Map.of("name", "edge"), cfg(data.resolve("etc/io.fluxrig.rack.cfg")));
        assertEquals(Map.of("org.osgi.service.http.port", "8181", "org.apache.felix.http.host", "127.0.0.1"),
                cfg(data.resolve("etc/org.apache.felix.http.cfg")));
        // The Snake's settings: a configuration file for ConfigAdmin; the token in its own 0600 file, not an argument.
        assertEquals(Map.of("mixer", "127.0.0.1:7443", "ca.hash", "sha256:ab", "token.file", data.resolve("enrol.token").toString(),
                "heartbeat.ms", "1000"), cfg(data.resolve("etc/io.fluxrig.rack.snake.cfg")));
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
    void aUsersEditIsKeptAndOnlyAnOptionGivenAgainChangesItsLine() throws Exception {
        Path data = root.resolve("racks/core");
        Layout layout = layout();
        JvmLaunch.rack(layout, rack("core", data, null), List.of(), Map.of());
        Path http = data.resolve("etc/org.apache.felix.http.cfg");
        Files.writeString(http, "# mine\norg.osgi.service.http.port = 9090\norg.apache.felix.http.host=0.0.0.0\n");
        JvmLaunch.rack(layout, rack("core", data, null), List.of(), Map.of());
        JvmLaunch.rack(layout, rack("core", data, 9090), List.of(), Map.of());
        assertEquals("# mine\norg.osgi.service.http.port = 9090\norg.apache.felix.http.host=0.0.0.0\n", Files.readString(http),
                "without --console-port, or with the file's value, the file stays as edited");
        JvmLaunch.rack(layout, rack("core", data, 8282), List.of(), Map.of());
        assertEquals("# mine\norg.osgi.service.http.port=8282\norg.apache.felix.http.host=0.0.0.0\n", Files.readString(http),
                "an option given with another value changes its one line");
        JvmLaunch.rack(layout, new JvmLaunch.Rack("core", true, data, data.resolve("p.yaml"), null, null, "secret-pass", null, null, null, null,
                null, null), List.of(), Map.of());
        assertEquals(Map.of("name", "core", "patch", data.resolve("p.yaml").toString()), cfg(data.resolve("etc/io.fluxrig.rack.cfg")));
    }

    @Test
    void theMixerAndAMissingJar() throws Exception {
        Layout layout = layout();
        Path data = root.resolve("mixer");
        StartLine line = JvmLaunch.mixer(layout, new JvmLaunch.Mixer(data, "nats://127.0.0.1:4222", 7443, null, 8443, null, null, "ops",
                "secret-pass"), List.of(), Map.of());
        assertTrue(ConsolePasswordHash.matches("secret-pass".toCharArray(), ConsoleCredentialsFile.read(data.resolve("etc")).passwordHash()));
        assertFalse(line.argv().stream().anyMatch(a -> a.contains("secret-pass") || a.contains("webconsole")), line.argv().toString());
        assertEquals(data, line.dir());
        assertEquals(List.of("-jar", root.resolve("run/target/mixer.jar").toString()), line.argv().subList(line.argv().size() - 2,
                line.argv().size()));
        assertFalse(line.argv().stream().anyMatch(a -> a.startsWith("-Dfluxrig.") || a.startsWith("-Dorg.osgi")), line.argv().toString());
        assertEquals(Map.of("nats", "nats://127.0.0.1:4222", "snake.port", "7443", "api.host", "127.0.0.1", "api.port", "8443",
                "hosts", "localhost,127.0.0.1"), cfg(data.resolve("etc/fluxrig.mixer.cfg")), "defaults written so the file shows them");
        Files.delete(root.resolve("run/target/rack-base.jar"));
        IOException e = assertThrows(IOException.class, () -> JvmLaunch.rack(layout, new JvmLaunch.Rack("edge", true, root.resolve("r"),
                null, 8181, null, "secret-pass", null, null, null, null, null, null), List.of(), Map.of()));
        assertEquals(root.resolve("run/target/rack-base.jar") + " is not built; build first: run/fluxrig build", e.getMessage());
    }

    /**
     * The framework cache (where ConfigAdmin or a component could keep a copy of a secret) and every
     * file the JVM makes are created with the process's umask: the data folders around them are
     * closed to group and others, new or existing.
     */
    @Test
    void dataFoldersOnlyTheirOwnerCanEnter() throws Exception {
        Layout layout = layout();
        Path rack = Files.createDirectories(root.resolve("racks/edge"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(rack, PosixFilePermissions.fromString("rwxr-xr-x")); // whatever the umask
        JvmLaunch.rack(layout, rack("edge", rack, null), List.of(), Map.of());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rack)), "an existing folder is tightened");
        Path mixer = root.resolve("new/mixer");
        JvmLaunch.mixer(layout, new JvmLaunch.Mixer(mixer, null, null, null, null, null, null, null, "secret-pass"), List.of(), Map.of());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mixer)), "a new folder is made 0700");
    }

    /**
     * What a rack or the Mixer leaves in its temporary folder when killed (the launcher's extracted
     * jars, FileInstall's files) is removed by the next start; the folder is the JVM's, inside the
     * data folder, and an option of the user's given later on the line wins.
     */
    @Test
    void eachStartHasAnEmptyTemporaryFolderOfItsOwn() throws Exception {
        Layout layout = layout();
        Path data = root.resolve("racks/edge");
        Path tmp = data.resolve("tmp");
        List<String> first = JvmLaunch.rack(layout, rack("edge", data, null), List.of(), Map.of("FLUXRIG_JAVA_OPTS", "-Djava.io.tmpdir=/t"))
                .argv();
        int own = first.indexOf("-Djava.io.tmpdir=" + tmp);
        assertTrue(own > 0 && own < first.indexOf("-Djava.io.tmpdir=/t"), "the user's folder comes later and wins: " + first);
        Files.writeString(tmp.resolve("resource1.jar"), "left by a killed rack");
        Files.createDirectories(tmp.resolve("fileinstall-1")).resolve("x.cfg").toFile().createNewFile();
        JvmLaunch.rack(layout, rack("edge", data, null), List.of(), Map.of());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "emptied at start");
        }
        Path mixer = root.resolve("mixer");
        List<String> m = JvmLaunch.mixer(layout, new JvmLaunch.Mixer(mixer, null, null, null, null, null, null, null, "secret-pass"),
                List.of(), Map.of()).argv();
        assertTrue(m.contains("-Djava.io.tmpdir=" + mixer.resolve("tmp")) && Files.isDirectory(mixer.resolve("tmp")), m.toString());
    }

    /**
     * A start whose listening port is taken (most often the same rack or Mixer still running in the
     * folder) is refused, naming the port, the file that sets it and the folder, before the temporary
     * folder is emptied or credentials are written: the running process's files stay as they are.
     * A port given as an option is checked in the file as it was, too (a running rack follows edits).
     */
    @Test
    void aStartWhosePortIsTakenIsRefusedBeforeTheFolderIsTouched() throws Exception {
        Layout layout = layout();
        Path data = root.resolve("racks/edge");
        try (ServerSocket running = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = running.getLocalPort();
            Files.createDirectories(data.resolve("tmp"));
            Files.writeString(data.resolve("tmp/resource1.jar"), "the running rack's");
            IOException e = assertThrows(IOException.class, () -> JvmLaunch.rack(layout, rack("edge", data, port), List.of(), Map.of()));
            assertEquals("the Web Console's port " + port + " on 127.0.0.1 is in use (org.osgi.service.http.port in "
                    + data.resolve("etc/org.apache.felix.http.cfg") + "): is this rack already running in " + data
                    + "? Stop it first; or, if another program holds the port, set another one there", e.getMessage());
            assertTrue(Files.exists(data.resolve("tmp/resource1.jar")), "the folder is left as it was");
            assertFalse(Files.exists(data.resolve("etc/io.fluxrig.console.cfg")), "no credentials written");

            Path mixer = root.resolve("mixer");
            e = assertThrows(IOException.class, () -> JvmLaunch.mixer(layout, new JvmLaunch.Mixer(mixer, null, null, "127.0.0.1", port, null,
                    null, null, "secret-pass"), List.of(), Map.of()));
            assertTrue(e.getMessage().startsWith("the operator API's port " + port + " on 127.0.0.1 is in use (api.port in "
                    + mixer.resolve("etc/fluxrig.mixer.cfg") + "): is the Mixer already running in " + mixer + "?"), e.getMessage());
        }
        try (ServerSocket running = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = Integer.parseInt(cfg(data.resolve("etc/org.apache.felix.http.cfg")).get("org.osgi.service.http.port"));
            Files.writeString(data.resolve("etc/org.apache.felix.http.cfg"), "org.osgi.service.http.port=" + running.getLocalPort()
                    + "\norg.apache.felix.http.host=127.0.0.1\n");
            IOException e = assertThrows(IOException.class, () -> JvmLaunch.rack(layout, rack("edge", data, port), List.of(), Map.of()));
            assertTrue(e.getMessage().startsWith("the Web Console's port " + running.getLocalPort() + " on 127.0.0.1 is in use"), e.getMessage());
            assertEquals(Integer.toString(running.getLocalPort()), cfg(data.resolve("etc/org.apache.felix.http.cfg")).get(
                    "org.osgi.service.http.port"), "the running rack's file is not changed");
        }
        // Free again (the process stopped): the same start goes ahead.
        assertTrue(JvmLaunch.rack(layout, rack("edge", data, null), List.of(), Map.of()).argv().contains("-Djava.io.tmpdir=" + data.resolve("tmp")));
    }

    private static JvmLaunch.Rack rack(String name, Path data, Integer port) {
        return new JvmLaunch.Rack(name, true, data, null, port, null, "secret-pass", null, null, null, null, null, null);
    }

    private static Map<String, String> cfg(Path file) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        Map<String, String> m = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
