package io.fluxrig.nats.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One local {@code nats-server} process ({@code nats-server} from the PATH): the only place that
 * starts, signals and waits for a nats-server on this machine (the CLI's {@code fluxrig nats} and
 * the tests' {@code NatsServer} / {@code NatsCluster} all go through it).
 *
 * <p>The arguments, client port and log file are fixed for the object's life, so {@link #start()}
 * after {@link #stop()} or {@link #kill()} brings the same server back with its store. The
 * server's output is appended to {@link #log()} and quoted in every failure message.
 *
 * <p>Ready means a client can talk to it: {@link #start()} returns once a connection to the client
 * port receives the server's {@code INFO} line; a process that dies first, or another listener on
 * the port, fails the start. (In a cluster that is not yet enough for JetStream: see
 * {@code LocalNatsCluster.awaitReady} in the cluster package.)
 *
 * <p>Threading: not thread-safe. One thread drives it (start, stop, kill, freeze); other threads
 * may read {@link #clientPort()}, {@link #log()} and {@link #isRunning()}.
 */
public final class NatsProcess {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final List<String> command;
    private final int clientPort;
    private final Path log;
    private final boolean tls;
    private Process process;

    /**
     * A server without TLS on its client port.
     *
     * @param arguments the nats-server arguments (without the program name)
     * @param clientPort the client port those arguments give it (on 127.0.0.1): readiness is checked there
     * @param log the file the server's output is appended to
     */
    public NatsProcess(List<String> arguments, int clientPort, Path log) {
        this(arguments, clientPort, log, false);
    }

    /**
     * @param arguments the nats-server arguments (without the program name)
     * @param clientPort the client port those arguments give it (on 127.0.0.1): readiness is checked there
     * @param log the file the server's output is appended to
     * @param tls whether those arguments make it require TLS on the client port (its configuration,
     *     {@code ServerTls.writeConfig}): then {@link #url()} is a {@code tls://} URL
     */
    public NatsProcess(List<String> arguments, int clientPort, Path log, boolean tls) {
        this.tls = tls;
        List<String> c = new ArrayList<>();
        c.add("nats-server");
        c.addAll(arguments);
        this.command = List.copyOf(c);
        this.clientPort = clientPort;
        this.log = log;
    }

    /** A JetStream server alone without authentication: {@code -js -sd STORE -p PORT -m MONITOR_PORT -a 127.0.0.1}. */
    public static NatsProcess single(Path store, int clientPort, int monitorPort, Path log) {
        return single(store, clientPort, monitorPort, log, null);
    }

    /**
     * A JetStream server alone: {@code [-c CONF] -js -sd STORE -p PORT -m MONITOR_PORT -a 127.0.0.1}.
     *
     * @param conf a configuration file (e.g. operator mode, {@code NatsTrust.writeServerConfig}), or null
     */
    public static NatsProcess single(Path store, int clientPort, int monitorPort, Path log, Path conf) {
        return single(store, clientPort, monitorPort, log, conf, false);
    }

    /**
     * A JetStream server alone: {@code [-c CONF] -js -sd STORE -p PORT -m MONITOR_PORT -a 127.0.0.1}.
     *
     * @param conf a configuration file (operator mode, TLS: {@code ServerTls.writeConfig}), or null
     * @param tls whether that configuration requires TLS on the client port
     */
    public static NatsProcess single(Path store, int clientPort, int monitorPort, Path log, Path conf, boolean tls) {
        List<String> args = new ArrayList<>();
        if (conf != null) {
            args.addAll(List.of("-c", conf.toString()));
        }
        args.addAll(List.of("-js", "-sd", store.toString(), "-p", Integer.toString(clientPort), "-m",
                Integer.toString(monitorPort), "-a", "127.0.0.1"));
        return new NatsProcess(args, clientPort, log, tls);
    }

    public int clientPort() {
        return clientPort;
    }

    /** {@code tls://127.0.0.1:<client port>} for a server requiring TLS, else {@code nats://127.0.0.1:<client port>} */
    public String url() {
        return (tls ? "tls" : "nats") + "://127.0.0.1:" + clientPort;
    }

    /** @return whether the client port requires TLS */
    public boolean tls() {
        return tls;
    }

    /** The server's output, appended across restarts. */
    public Path log() {
        return log;
    }

    /** @return the command line (program and arguments) */
    public List<String> command() {
        return command;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** @return the process id of the running server */
    public long pid() {
        if (!isRunning()) {
            throw new IllegalStateException("nats-server on port " + clientPort + " is not running");
        }
        return process.pid();
    }

    /** Starts the server (again) and waits until it answers clients; fails quoting its log. */
    public void start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("nats-server already runs on port " + clientPort);
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!speaksNats()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server on port " + clientPort + " exited with " + process.exitValue()
                        + "; its log:\n" + logText());
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("nats-server not ready on port " + clientPort + " within " + START_TIMEOUT
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
                throw new IllegalStateException("nats-server on port " + clientPort + " ignored SIGTERM for " + STOP_TIMEOUT
                        + " and was killed; its log:\n" + logText());
            }
        }
    }

    /** SIGKILL: the process dies at once (a frozen one too; the store keeps what the OS had been given). */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the server freezes with its connections open (peers and clients see no answers, no errors). */
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

    /** SIGCONT: a frozen server goes on. */
    public void unfreeze() throws IOException, InterruptedException {
        signal("-CONT");
    }

    /** @param stat the text of /proc/PID/stat: "pid (comm) S ...", the state after the ')' */
    private static boolean stopped(String stat) {
        int i = stat.lastIndexOf(')');
        return i > 0 && i + 2 < stat.length() && (stat.charAt(i + 2) == 'T' || stat.charAt(i + 2) == 't');
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (!isRunning()) {
            throw new IllegalStateException("nats-server on port " + clientPort + " is not running: cannot send " + signal);
        }
        Process k = new ProcessBuilder("kill", signal, Long.toString(process.pid())).redirectErrorStream(true).start();
        String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (k.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed: " + out);
        }
    }

    /**
     * True when a connection to the client port receives the server's INFO line (NATS protocol
     * greeting; nats-server 2.9 sends it in plaintext before the TLS handshake, so this also holds
     * for a server requiring TLS).
     */
    private boolean speaksNats() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPort), 200);
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

    /** @return the server's output so far (for failure messages) */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "nats-server " + url() + (isRunning() ? " (running, pid " + process.pid() + ")" : "");
    }
}
