package io.fluxrig.testsupport;

import io.fluxrig.nats.local.NatsProcess;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.Role;
import io.nats.client.Connection;
import io.nats.client.Options;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code nats-server -js} for tests: {@code nats-server -c <store>/auth/nats.conf -js -sd
 * <store>/js -p <port> -m <monitor port> -a 127.0.0.1}, with {@code nats-server} taken from the PATH.
 * It serves TLS like every NATS fluxrig starts: a server certificate for 127.0.0.1 and localhost
 * from the test's own CA ({@link #caFile()}, what a transport's {@code tls.ca.file} takes); {@link
 * #url()} is {@code tls://127.0.0.1:<port>}, a plaintext client is refused, and {@link #options()}
 * and {@link #connect()} verify the server against that CA ({@link #sslContext()}). {@link
 * #plaintext()} makes one without TLS, for tests that must read the protocol on the wire.
 * It requires authentication like every NATS fluxrig starts: operator mode with the test's own
 * root of trust ({@link #trust()}) and one creds file per {@link Role} ({@link #creds(Role)});
 * {@link #options()} and {@link #connect()} give a jnats client of the wires account with every
 * permission ({@link Role#ADMIN}), {@link #options(Role)} one of another role. An anonymous
 * client is refused. The monitoring
 * port serves the server's own view ({@code /jsz}: streams, consumers, acknowledgements), which
 * tests read when they check the broker rather than the client. The process itself (start,
 * readiness, signals) is a {@link NatsProcess}; this class adds the free ports and the temporary
 * store.
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
    private final Path store;
    private final int monitorPort;
    private final NatsProcess process;
    private final NatsIdentities identities;

    /** A TLS server not started yet: picks two free ports, makes the temporary store folder, the identities and the CA. */
    public NatsServer() throws IOException {
        this(true);
    }

    private NatsServer(boolean tls) throws IOException {
        this.store = Files.createTempDirectory("fluxrig-nats-");
        this.identities = new NatsIdentities(store, tls);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket m = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
            this.monitorPort = m.getLocalPort();
        }
        Path auth = identities.trust().writeServerConfig(store.resolve("auth").resolve("auth.conf"));
        this.process = NatsProcess.single(store.resolve("js"), port, monitorPort, store.resolve("nats-server.log"),
                tls ? identities.tls().writeConfig(store.resolve("auth").resolve("nats.conf"), auth, false) : auth, tls);
    }

    /**
     * A server without TLS (not started): for tests that must see the NATS protocol on the wire
     * (a proxy between client and server). Its {@link #url()} is {@code nats://}, {@link #caFile()} null.
     */
    public static NatsServer plaintext() throws IOException {
        return new NatsServer(false);
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

    /** {@code tls://127.0.0.1:<port>} ({@code nats://} for a {@link #plaintext()} server) */
    public String url() {
        return process.url();
    }

    /** @return the CA certificate file (PEM) the server's certificate chains to, or null for a plaintext server */
    public Path caFile() {
        return identities.tls() == null ? null : identities.tls().ca();
    }

    /**
     * @return a new client TLS context that trusts only {@link #caFile()} and checks the server's
     *     name (what fluxrig's NATS clients use), or null for a plaintext server
     */
    public javax.net.ssl.SSLContext sslContext() {
        return identities.sslContext();
    }

    public int port() {
        return process.clientPort();
    }

    /** The root of trust the server accepts users of (operator, accounts; seeds under {@code <store>/trust}). */
    public NatsTrust trust() {
        return identities.trust();
    }

    /** @return the creds file (0600, no expiry) of a user of that role, e.g. what a transport's {@code credentials.file} takes */
    public Path creds(Role role) {
        return identities.creds(role);
    }

    /** @return the creds file of the all-permissions user of the wires account ({@link Role#ADMIN}) */
    public Path creds() {
        return creds(Role.ADMIN);
    }

    /** @return jnats options: this server, {@link Role#ADMIN}'s credentials (add reconnect, listeners, ...) */
    public Options.Builder options() {
        return options(Role.ADMIN);
    }

    /** @return jnats options: this server, the role's credentials, TLS verified against {@link #caFile()} */
    public Options.Builder options(Role role) {
        return NatsClients.options(List.of(url()), creds(role), sslContext());
    }

    /** @return a new connection as {@link Role#ADMIN} (the caller closes it) */
    public Connection connect() throws IOException, InterruptedException {
        return connect(Role.ADMIN);
    }

    /** @return a new connection as the role (the caller closes it) */
    public Connection connect(Role role) throws IOException, InterruptedException {
        return NatsClients.connect(List.of(url()), creds(role), sslContext());
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
        return process.log();
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    /** Starts the server (again) on the same port and store and waits until it is ready. */
    public void start() throws IOException, InterruptedException {
        process.start();
    }

    /** SIGTERM: the server shuts down cleanly (the store stays). Fails if it is still up after 30 s. */
    public void stop() throws InterruptedException {
        process.stop();
    }

    /** SIGKILL: the process dies at once (the store keeps what the OS had been given). */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGSTOP: the server freezes with its connections open (clients see no answers, no errors). */
    public void freeze() throws IOException, InterruptedException {
        process.freeze();
    }

    /** SIGCONT: a frozen server goes on. */
    public void unfreeze() throws IOException, InterruptedException {
        process.unfreeze();
    }

    /** Kills the server (a frozen one too) and deletes the store. */
    @Override
    public void close() throws IOException, InterruptedException {
        kill();
        TempFolders.delete(store);
    }

    @Override
    public String toString() {
        return "nats-server " + url() + " store " + store + (isRunning() ? " (running)" : "");
    }
}
