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
 * The one place that turns rack and Mixer settings into a JVM command line (used by
 * {@code fluxrig rack}, {@code fluxrig mixer} and the demo). The rack's Snake settings become a
 * configuration file; settings that are not yet configuration files are system properties here; {@code $FLUXRIG_JAVA_OPTS} and the caller's
 * extra options are added before them. Stateless.
 */
public final class JvmLaunch {
    /** The Snake agent's configuration PID (rack.snake). */
    static final String SNAKE_PID = "io.fluxrig.rack.snake";

    private JvmLaunch() {
    }

    /**
     * A rack's start settings.
     *
     * @param name the rack's name
     * @param base true for a rack without gear bundles (rack-base.jar: they come from the Mixer or gears/)
     * @param data its data folder (absolute)
     * @param patch the patch file, or null for {@code <data>/patch.yaml}
     * @param consolePort the Web Console's HTTP port
     * @param consoleUser the console user, or null for the stored one
     * @param consolePassword the console password, or null for the stored or a generated one
     * @param mixer the Mixer's Snake HOST:PORT, or null for a standalone rack
     * @param token the one-time enrolment token, or null
     * @param caHash the Mixer CA's hash {@code sha256:HEX}, or null
     * @param heartbeatMs the Snake heartbeat period, or null for the rack's default
     * @param renewPercent certificate renewal point, or null
     * @param downloadKbps artifact download cap, or null
     */
    public record Rack(String name, boolean base, Path data, Path patch, int consolePort, String consoleUser, String consolePassword,
            String mixer, String token, String caHash, Integer heartbeatMs, Integer renewPercent, Integer downloadKbps) {
    }

    /**
     * The Mixer's start settings (null: the Mixer's default).
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
     * @return the rack's java command line; prepares its folders and console credentials first
     */
    public static List<String> rack(Layout layout, Rack r, List<String> extra, Map<String, String> env) throws IOException {
        Path jar = layout.require(layout.rackJar(r.base()));
        Files.createDirectories(r.data().resolve("gears"));
        consoleCredentials(r.data(), r.consoleUser(), r.consolePassword());
        List<String> c = start(layout, extra, env);
        if (r.mixer() != null) {
            writeSnakeConfig(r);
        }
        c.add("-Dfluxrig.rack.name=" + r.name());
        c.add("-Dfluxrig.rack.data=" + r.data());
        add(c, "fluxrig.rack.patch", r.patch());
        c.add("-Djdk.httpclient.windowsize=1048576");
        c.add("-Dfluxrig.console.url=http://127.0.0.1:" + r.consolePort() + "/system/console");
        c.add("-Dorg.osgi.service.http.port=" + r.consolePort());
        c.add("-Dfelix.fileinstall.dir=" + r.data().resolve("gears"));
        c.add("-Dorg.osgi.framework.storage=" + r.data().resolve("cache"));
        c.add("-Dorg.osgi.framework.storage.clean=onFirstInit");
        c.addAll(List.of("-jar", jar.toString()));
        return c;
    }

    /** @return the Mixer's java command line; prepares its folder and console credentials first */
    public static List<String> mixer(Layout layout, Mixer m, List<String> extra, Map<String, String> env) throws IOException {
        Path jar = layout.require(layout.mixerJar());
        Files.createDirectories(m.data());
        consoleCredentials(m.data(), m.consoleUser(), m.consolePassword());
        List<String> c = start(layout, extra, env);
        c.add("-Dfluxrig.mixer.data=" + m.data());
        add(c, "fluxrig.mixer.nats", m.nats());
        add(c, "fluxrig.mixer.snake.port", m.snakePort());
        add(c, "fluxrig.mixer.api.port", m.apiPort());
        add(c, "fluxrig.mixer.api.host", m.apiHost());
        add(c, "fluxrig.mixer.hosts", m.hosts());
        add(c, "fluxrig.mixer.advertise", m.advertise());
        c.add("-Dorg.osgi.framework.storage=" + m.data().resolve("cache"));
        c.add("-Dorg.osgi.framework.storage.clean=onFirstInit");
        c.addAll(List.of("-jar", jar.toString()));
        return c;
    }

    /**
     * The Snake's settings as configuration {@value #SNAKE_PID} in a file FileInstall hands to
     * ConfigAdmin ({@code <data>/gears/io.fluxrig.rack.snake.cfg}; without {@code --mixer} an existing
     * one is kept, to be edited or deleted there), and the enrolment token in a 0600 file it names,
     * never in a JVM argument.
     */
    private static void writeSnakeConfig(Rack r) throws IOException {
        StringBuilder cfg = new StringBuilder("mixer=" + r.mixer() + "\n");
        if (r.caHash() != null) {
            cfg.append("ca.hash=").append(r.caHash()).append('\n');
        }
        if (r.token() != null) {
            Path token = r.data().resolve("enrol.token");
            Files.deleteIfExists(token);
            Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(token, r.token() + "\n");
            cfg.append("token.file=").append(token).append('\n');
        }
        if (r.heartbeatMs() != null) {
            cfg.append("heartbeat.ms=").append(r.heartbeatMs()).append('\n');
        }
        if (r.renewPercent() != null) {
            cfg.append("renew.percent=").append(r.renewPercent()).append('\n');
        }
        if (r.downloadKbps() != null) {
            cfg.append("download.kbps=").append(r.downloadKbps()).append('\n');
        }
        Files.writeString(r.data().resolve("gears").resolve(SNAKE_PID + ".cfg"), cfg);
    }

    private static List<String> start(Layout layout, List<String> extra, Map<String, String> env) {
        List<String> c = new ArrayList<>(List.of(Layout.java()));
        c.addAll(Layout.jvmBase());
        String own = env.getOrDefault("FLUXRIG_JAVA_OPTS", "").strip();
        if (!own.isEmpty()) {
            c.addAll(List.of(own.split("\\s+")));
        }
        c.addAll(extra);
        c.add("-Djava.util.logging.config.file=" + layout.julProperties());
        return c;
    }

    private static void add(List<String> c, String property, Object value) {
        if (value != null) {
            c.add("-D" + property + "=" + value);
        }
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
