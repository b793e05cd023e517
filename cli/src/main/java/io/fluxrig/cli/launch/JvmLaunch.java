package io.fluxrig.cli.launch;

import io.fluxrig.cli.console.ConsoleCredentialsCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns rack and Mixer options into a process (used by {@code fluxrig rack},
 * {@code fluxrig mixer} and the demo). A rack or the Mixer runs in its own folder (the working
 * directory): its settings are configuration files in {@code etc/} that this class writes at first
 * start ({@link EtcFiles}: afterwards a user's edit is kept, and only an option given again with
 * another value changes its line); FileInstall reads them into ConfigAdmin. What must be known before
 * the framework starts (its cache, the folders FileInstall watches) is relative to that folder, in
 * the bndrun files. The command line keeps JVM options only: the JVM's temporary folder
 * ({@code tmp/} in that folder, {@link #emptyTmp}), {@code $FLUXRIG_JAVA_OPTS}, the caller's extra
 * options and logging. Stateless.
 */
public final class JvmLaunch {
    /** The rack's configuration PID (rack.runtime). */
    static final String RACK_PID = "io.fluxrig.rack";
    /** The Snake agent's configuration PID (rack.snake). */
    static final String SNAKE_PID = "io.fluxrig.rack.snake";
    /** The wire transport's configuration PID (wire.jetstream): its NATS connection. */
    static final String WIRE_PID = "fluxrig.wire.jetstream";
    /** Felix HTTP's configuration PID: the rack console's port. */
    static final String HTTP_PID = "org.apache.felix.http";
    /** The Mixer's configuration PID (mixer.bundle). */
    static final String MIXER_PID = "fluxrig.mixer";
    /** The rack console's port when neither an option nor the file says otherwise. */
    static final int CONSOLE_PORT = 8181;
    /** The help line of every command that starts a rack or the Mixer: the variables this class and {@link Layout} read. */
    static final String ENVIRONMENT = "Environment: FLUXRIG_JAVA_OPTS (extra JVM options), FLUXRIG_HOME (the fluxrig "
            + "checkout whose built jars run; default: the one this command runs from).";

    private JvmLaunch() {
    }

    /**
     * A rack's start settings.
     *
     * @param name the rack's name
     * @param base true for a rack without gear bundles (rack-base.jar: they come from the Mixer or gears/)
     * @param data its data folder (absolute)
     * @param patch the patch file, or null for {@code <data>/patch.yaml}
     * @param consolePort the Web Console's HTTP port, or null for the file's (first start: {@value #CONSOLE_PORT})
     * @param consoleUser the console user, or null for the stored one
     * @param consolePassword the console password, or null for the stored or a generated one
     * @param mixer the Mixer's Snake HOST:PORT, or null for a standalone rack
     * @param token the one-time enrolment token, or null
     * @param caHash the Mixer CA's hash {@code sha256:HEX}, or null
     * @param heartbeatMs the Snake heartbeat period, or null for the rack's default
     * @param renewPercent certificate renewal point, or null
     * @param downloadKbps artifact download cap, or null
     */
    public record Rack(String name, boolean base, Path data, Path patch, Integer consolePort, String consoleUser, String consolePassword,
            String mixer, String token, String caHash, Integer heartbeatMs, Integer renewPercent, Integer downloadKbps) {
    }

    /**
     * The Mixer's start settings (null: the file's, at first start the Mixer's default).
     *
     * @param data its data folder (absolute)
     * @param nats the NATS URL its registry lives on
     * @param snakePort the Snake's port
     * @param apiHost the operator API's bind address
     * @param apiPort the operator API's (and Web Console's) HTTPS port
     * @param hosts names and addresses for its server certificate, comma-separated
     * @param advertise HOST:PORT racks dial
     * @param consoleUser the console user, or null
     * @param consolePassword the console password, or null
     */
    public record Mixer(Path data, String nats, Integer snakePort, String apiHost, Integer apiPort, String hosts, String advertise,
            String consoleUser, String consolePassword) {
    }

    /**
     * @param extra JVM options added before the settings (e.g. the demo's)
     * @param env for {@code FLUXRIG_JAVA_OPTS}
     * @return the rack's process, in its data folder (made 0700: {@link OwnerOnly}); prepares its folders, configuration files
     *     and console credentials first
     * @throws IOException when a jar is missing or a file cannot be written
     */
    public static StartLine rack(Layout layout, Rack r, List<String> extra, Map<String, String> env) throws IOException {
        Path jar = layout.require(layout.rackJar(r.base()));
        Path etc = Files.createDirectories(OwnerOnly.folder(r.data()).resolve("etc"));
        Files.createDirectories(r.data().resolve("gears"));
        int port = r.consolePort() != null ? r.consolePort() : CONSOLE_PORT;
        Path http = etc.resolve(HTTP_PID + ".cfg");
        List<FreePorts.Listener> listeners = List.of(
                new FreePorts.Listener("the Web Console", http, "org.apache.felix.http.host", "org.osgi.service.http.port"));
        // Before an option changes the file (a running rack would follow the edit), and after.
        FreePorts.require("this rack", r.data(), listeners);
        EtcFiles.ensure(http, "fluxrig rack", List.of(
                EtcFiles.Setting.given("org.osgi.service.http.port", port, r.consolePort() != null ? "--console-port" : null),
                EtcFiles.Setting.byDefault("org.apache.felix.http.host", "127.0.0.1")));
        FreePorts.require("this rack", r.data(), listeners);
        EtcFiles.ensure(etc.resolve(RACK_PID + ".cfg"), "fluxrig rack", List.of(
                EtcFiles.Setting.given("name", r.name(), "--name"),
                EtcFiles.Setting.given("patch", r.patch(), "--patch")));
        if (r.mixer() != null) {
            writeSnakeConfig(r);
        }
        consoleCredentials(r.data(), r.consoleUser(), r.consolePassword());
        List<String> c = start(layout, r.data(), extra, env);
        // A JDK setting, not the rack's: the HttpClient's HTTP/2 window for the Snake's artifact downloads.
        c.add("-Djdk.httpclient.windowsize=1048576");
        c.addAll(List.of("-jar", jar.toString()));
        return new StartLine(r.data(), c);
    }

    /**
     * @return the Mixer's process, in its data folder (made 0700: {@link OwnerOnly}); prepares its folder, configuration file
     *     and console credentials first
     * @throws IOException when the jar is missing or a file cannot be written
     */
    public static StartLine mixer(Layout layout, Mixer m, List<String> extra, Map<String, String> env) throws IOException {
        Path jar = layout.require(layout.mixerJar());
        Path etc = Files.createDirectories(OwnerOnly.folder(m.data()).resolve("etc"));
        Path settings = etc.resolve(MIXER_PID + ".cfg");
        List<FreePorts.Listener> listeners = List.of(new FreePorts.Listener("the operator API", settings, "api.host", "api.port"),
                new FreePorts.Listener("the Snake", settings, "snake.host", "snake.port"));
        FreePorts.require("the Mixer", m.data(), listeners);
        EtcFiles.ensure(settings, "fluxrig mixer", List.of(
                setting("nats", m.nats(), "nats://127.0.0.1:4222", "--nats"),
                setting("snake.port", m.snakePort(), 7443, "--snake-port"),
                setting("api.host", m.apiHost(), "127.0.0.1", "--api-host"),
                setting("api.port", m.apiPort(), 8443, "--api-port"),
                setting("hosts", m.hosts(), "localhost,127.0.0.1", "--hosts"),
                EtcFiles.Setting.given("advertise", m.advertise(), "--advertise")));
        FreePorts.require("the Mixer", m.data(), listeners);
        consoleCredentials(m.data(), m.consoleUser(), m.consolePassword());
        List<String> c = start(layout, m.data(), extra, env);
        c.addAll(List.of("-jar", jar.toString()));
        return new StartLine(m.data(), c);
    }

    /** A setting given by option, else its default (written at first start so the file shows it). */
    private static EtcFiles.Setting setting(String key, Object given, Object fallback, String option) {
        return given != null ? EtcFiles.Setting.given(key, given, option) : EtcFiles.Setting.byDefault(key, fallback);
    }

    /**
     * The Snake's settings as configuration {@value #SNAKE_PID} ({@code etc/io.fluxrig.rack.snake.cfg},
     * or the one a user dropped into {@code gears/}), written at first start like the other files;
     * and the enrolment token in a 0600 file it names, never in a JVM argument. Without
     * {@code --mixer} an existing file is used as it is (edit or delete it there).
     */
    private static void writeSnakeConfig(Rack r) throws IOException {
        Path dropped = r.data().resolve("gears").resolve(SNAKE_PID + ".cfg");
        Path file = Files.exists(dropped) ? dropped : r.data().resolve("etc").resolve(SNAKE_PID + ".cfg");
        Path token = r.data().resolve("enrol.token");
        if (r.token() != null) {
            Files.deleteIfExists(token);
            Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(token, r.token() + "\n");
        }
        EtcFiles.ensure(file, "fluxrig rack", List.of(
                EtcFiles.Setting.given("mixer", r.mixer(), "--mixer"),
                EtcFiles.Setting.given("ca.hash", r.caHash(), "--ca-hash"),
                EtcFiles.Setting.given("token.file", r.token() != null ? token : null, "--token"),
                EtcFiles.Setting.given("heartbeat.ms", r.heartbeatMs(), "--heartbeat-ms"),
                EtcFiles.Setting.given("renew.percent", r.renewPercent(), "--renew-percent"),
                EtcFiles.Setting.given("download.kbps", r.downloadKbps(), "--download-kbps")));
    }

    private static List<String> start(Layout layout, Path data, List<String> extra, Map<String, String> env) throws IOException {
        List<String> c = new ArrayList<>(List.of(Layout.java()));
        c.addAll(Layout.jvmBase());
        // Before the user's options, which may name another folder.
        c.add("-Djava.io.tmpdir=" + emptyTmp(data));
        String own = env.getOrDefault("FLUXRIG_JAVA_OPTS", "").strip();
        if (!own.isEmpty()) {
            c.addAll(List.of(own.split("\\s+")));
        }
        c.addAll(extra);
        c.add("-Djava.util.logging.config.file=" + layout.julProperties());
        return c;
    }

    /**
     * The JVM's temporary folder, {@code <data>/tmp}, emptied before each start as the framework's
     * cache is: the jars the executable jar's launcher extracts at every start (the framework, the
     * launcher, logging) and FileInstall's working files are the process's own, and a process killed
     * with SIGKILL leaves them behind, where the next start removes them instead of the shared
     * {@code /tmp} gathering them. Inside the data folder (0700), so no other user sees them either.
     *
     * @return the folder, absolute
     */
    static Path emptyTmp(Path data) throws IOException {
        Path tmp = data.toAbsolutePath().resolve("tmp");
        Demo.deleteTree(tmp);
        return Files.createDirectories(tmp);
    }

    /**
     * The console's credentials go to {@code <data>/etc/io.fluxrig.console.cfg} (0600), the
     * configuration the console reads; never into a JVM argument. A password given is stored as its
     * PBKDF2 hash; without one the stored hash stays, and with none stored the console generates a
     * password at start (in {@code <data>/etc/console.password}, 0600).
     */
    private static void consoleCredentials(Path data, String user, String password) throws IOException {
        char[] pw = password == null ? null : password.toCharArray();
        try {
            ConsoleCredentialsCommand.store(data, user, pw);
        } catch (IllegalArgumentException e) {
            throw new IOException("console credentials: " + e.getMessage(), e);
        } finally {
            if (pw != null) {
                java.util.Arrays.fill(pw, '\0');
            }
        }
    }
}
