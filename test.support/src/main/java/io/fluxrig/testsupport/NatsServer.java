package io.fluxrig.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code nats-server -js} for tests: {@code nats-server -js -sd <store>/js -p <port>
 * -m <monitor port> -a 127.0.0.1}, with {@code nats-server} taken from the PATH. The monitoring
 * port serves the server's own view ({@code /jsz}: streams, consumers, acknowledgements), which
 * tests read when they check the broker rather than the client.
 *
 * <p>The ports (free on 127.0.0.1 when the object is made) and the temporary store folder are
 * fixed for the object's life, so {@link #start()} after {@link #stop()} or {@link #kill()}
 * brings the same server back with its JetStream data. {@link #close()} kills the process and
 * deletes the store. The server's output goes to {@link #log()} (inside the store) and is quoted
 * in every failure message.
 *
 * <p>Ready means a client can talk to it: {@link #start()} returns once a connection to the
 * port receives the server's {@code INFO} line (a process that died or another listener on the
 * port fails the start).
 *
 * <p>Threading: not thread-safe. One test thread drives it (start, stop, kill, freeze, close);
 * other threads may only read {@link #url()}, {@link #port()} and {@link #monitorUrl()}, which never
 * change.
 */
public final class NatsServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path store;
    private final Path log;
    private final int port;
    private final int monitorPort;
    private Process process;

    /** A server not started yet: picks two free ports and makes the temporary store folder. */
    public NatsServer() throws IOException {
        this.store = Files.createTempDirectory("fluxrig-nats-");
        this.log = store.resolve("nats-server.log");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket m = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
            this.monitorPort = m.getLocalPort();
        }
    }

    /** A new server, started; on a failed start its store is deleted again. */
    public static NatsServer started() throws IOException, InterruptedException {
        NatsServer server = new NatsServer();
        try {
            server.start();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** {@code nats://127.0.0.1:<port>} */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<monitor port>}: the server's monitoring endpoints ({@code /jsz}, {@code /connz}) */
    public String monitorUrl() {
        return "http://127.0.0.1:" + monitorPort;
    }

    /** The store folder: JetStream data in {@code js/}, plus the log. Deleted by {@link #close()}. */
    public Path store() {
        return store;
    }

    /** The server's output, appended across restarts. */
    public Path log() {
        return log;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the server (again) on the same port and store and waits until it is ready. */
    public void start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("nats-server already runs on port " + port);
        }
        process = new ProcessBuilder("nats-server", "-js", "-sd", store.resolve("js").toString(), "-p",
                Integer.toString(port), "-m", Integer.toString(monitorPort), "-a", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!speaksNats()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server on port " + port + " exited with " + process.exitValue()
                        + "; its log:\n" + logText());
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("nats-server not ready on port " + port + " within " + START_TIMEOUT
                        + "; its log:\n" + logText());
            }
            Thread.sleep(20);
        }
    }

    /** SIGTERM: the server shuts down cleanly (the store stays). Fails if it is still up after 30 s. */
    public void stop() throws InterruptedException {
        if (isRunning()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("nats-server on port " + port + " ignored SIGTERM for " + STOP_TIMEOUT
                        + " and was killed; its log:\n" + logText());
            }
        }
    }

    /** SIGKILL: the process dies at once (the store keeps what the OS had been given). */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the server freezes with its connections open (clients see no answers, no errors). */
    public void freeze() throws IOException, InterruptedException {
        signal("-STOP");
        // kill(1) returns when the signal is sent, not when every thread of the process has
        // stopped: wait until the kernel reports the process stopped ('T' in /proc/PID/stat).
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.exists(stat) && !stopped(Files.readString(stat))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nats-server " + process.pid() + " not stopped 5 s after SIGSTOP");
            }
            Thread.sleep(5);
        }
    }

    /** @param stat the text of /proc/PID/stat: "pid (comm) S ...", the state after the ')' */
    private static boolean stopped(String stat) {
        int i = stat.lastIndexOf(')');
        return i > 0 && i + 2 < stat.length() && (stat.charAt(i + 2) == 'T' || stat.charAt(i + 2) == 't');
    }

    /** SIGCONT: a frozen server goes on. */
    public void unfreeze() throws IOException, InterruptedException {
        signal("-CONT");
    }

    /** Kills the server (a frozen one too) and deletes the store. */
    @Override
    public void close() throws IOException, InterruptedException {
        kill();
        try (Stream<Path> files = Files.walk(store)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public String toString() {
        return "nats-server " + url() + " store " + store + (isRunning() ? " (running)" : "");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (!isRunning()) {
            throw new IllegalStateException("nats-server on port " + port + " is not running: cannot send " + signal);
        }
        Process k = new ProcessBuilder("kill", signal, Long.toString(process.pid())).redirectErrorStream(true).start();
        String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (k.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed: " + out);
        }
    }

    /** True when a connection to the port receives the server's INFO line (NATS protocol greeting). */
    private boolean speaksNats() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            byte[] info = "INFO".getBytes(StandardCharsets.US_ASCII);
            InputStream in = s.getInputStream();
            for (byte b : info) {
                if (in.read() != b) {
                    return false;
                }
            }
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }
}
