package io.fluxrig.wire.jetstream;

import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.Jwt;
import io.fluxrig.nats.trust.NatsUrls;
import io.fluxrig.nats.trust.WireSubjects;
import io.fluxrig.nats.trust.jnats.ConnectErrors;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one NATS connection of a transport. {@link #start()} returns at once: a thread owned
 * by this object makes the first connection, retrying with backoff until it succeeds or
 * {@link #close()} is called; after that jnats reconnects forever (maxReconnects -1) with the
 * same backoff. State changes are logged once each and wake threads in {@link #awaitConnected}.
 * With a CA file ({@link TransportSettings#tlsCa()}) every connection is TLS, verified against that
 * CA only ({@link TlsContexts#verifyingServer}); the file is read by the connect loop (a missing or
 * bad file is a reason to retry, said in the state, never a failed activation). A refused connect
 * (no TLS, a certificate of another CA, refused credentials) is logged with the URLs and the reason
 * ({@link ConnectErrors}); the loop keeps retrying, so a corrected file or server is picked up.
 * With a creds file the connection's inbox prefix is {@code _INBOX.<name>} (the user JWT's name:
 * a Mixer-issued credential names the rack and lets it subscribe only there), so its JetStream API
 * answers and pull deliveries never pass through a subject another rack may subscribe to.
 *
 * <p>Threading: the connection listener runs on jnats threads, the connect loop on its own
 * thread; {@code lock} guards the state and its condition. {@link #connection()} is lock-free.
 */
final class NatsConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NatsConnector.class);

    /** What the transport reports: connected, or why not. */
    enum State { CONNECTING, CONNECTED, DISCONNECTED, CLOSED }

    private final TransportSettings settings;
    private final Options.Builder options;
    private final ConnectErrors errors = new ConnectErrors();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread connectThread;
    private volatile Connection connection;
    private volatile State state = State.CONNECTING;
    private volatile String lastError = "";
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    NatsConnector(TransportSettings settings) {
        this.settings = settings;
        for (String url : settings.servers()) {
            // With a CA file every URL is TLS (jnats: a TLS context means TLS, whatever the scheme).
            if (settings.tlsCa() == null && NatsUrls.plaintextBeyondLoopback(url)) {
                LOG.warn("wire.jetstream: {} is plaintext NATS beyond this host: wire messages travel unencrypted; set tls.ca.file",
                        url);
            } else if (settings.tlsCa() == null && NatsUrls.tls(url)) {
                LOG.info("wire.jetstream: {} without tls.ca.file: the JVM's trust store verifies the server", url);
            }
        }
        Options.Builder b = Options.builder();
        if (settings.credentials() != null) {
            // Read at every (re)connect: a renewed creds file is used from the next connection on.
            b.authHandler(new CredsAuthHandler(settings.credentials()));
        }
        this.options = b
                .servers(settings.servers().toArray(new String[0]))
                .connectionName(settings.connectionName())
                .maxReconnects(-1)
                .reconnectDelayHandler(this::backoff)
                // Covers the TLS handshake too (jnats): a cold JVM on a loaded machine can take seconds for its first.
                .connectionTimeout(Duration.ofSeconds(5))
                .connectionListener(this::onEvent)
                .errorListener(new ErrorListener() {
                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        errors.exceptionOccurred(conn, exp);
                        lastError = errors.last();
                    }

                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        errors.errorOccurred(conn, error);
                        lastError = errors.last();
                    }
                });
        this.connectThread = new Thread(this::connectLoop, "fluxrig-jetstream-connect");
        this.connectThread.setDaemon(true);
    }

    void start() {
        connectThread.start();
    }

    private Duration backoff(long round) {
        long wait = settings.reconnectWait().toMillis() << Math.min(round, 20);
        return Duration.ofMillis(Math.min(wait, settings.reconnectMaxWait().toMillis()));
    }

    /**
     * @return the options with the TLS context of the CA file when one is set (read now: a
     *     replaced file counts from the next attempt on)
     * @throws IOException naming the CA file when it cannot be read or holds no certificate
     */
    private Options options() throws IOException {
        options.inboxPrefix(inboxPrefix());
        Path ca = settings.tlsCa();
        if (ca == null) {
            return options.build();
        }
        try {
            return options.sslContext(TlsContexts.verifyingServer(Pem.readCertificate(ca), "a NATS server")).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new CaFileUnusable("NATS CA file " + ca + " (tls.ca.file) unusable: " + e.getMessage(), e);
        }
    }

    /**
     * @return {@code _INBOX.<name>} for a creds file whose user JWT names one subject token (read
     *     now, like the credential itself), else jnats' default {@code _INBOX} (no creds file, or a
     *     hand-made credential without such a name: its permissions decide whether that works)
     * @throws IOException when the creds file cannot be read (the connect loop waits for it)
     */
    private String inboxPrefix() throws IOException {
        Path creds = settings.credentials();
        if (creds == null) {
            return WireSubjects.INBOX;
        }
        String name;
        try {
            Creds c = Creds.read(creds);
            java.util.Arrays.fill(c.seed(), ' ');
            name = Jwt.name(c.jwt());
        } catch (IllegalArgumentException e) {
            return WireSubjects.INBOX; // not a JWT: the server refuses the credential and says so
        }
        return WireSubjects.isToken(name) ? WireSubjects.inboxPrefix(name) : WireSubjects.INBOX;
    }

    /** The configured CA file cannot be read or holds no certificate: said as it is, retried. */
    private static final class CaFileUnusable extends IOException {
        private static final long serialVersionUID = 1L;

        CaFileUnusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void connectLoop() {
        long round = 0;
        String logged = null;
        while (!closed) {
            try {
                errors.reset();
                Connection c = Nats.connect(options());
                lock.lock();
                try {
                    if (closed) {
                        c.close();
                        return;
                    }
                    connection = c;
                } finally {
                    lock.unlock();
                }
                setState(State.CONNECTED, "connected to " + c.getConnectedUrl());
                return;
            } catch (IOException | RuntimeException e) {
                // RuntimeException: the creds file is unreadable (jnats may also wrap that in an IOException).
                Path creds = settings.credentials();
                boolean noCreds = creds != null && !Files.isReadable(creds);
                String why = noCreds ? "waiting for the NATS credentials " + creds + " (an enrolled rack's are written at enrolment)"
                        : e instanceof CaFileUnusable ? e.getMessage() : errors.explain(settings.servers(), e).getMessage();
                lastError = why;
                if (!why.equals(logged)) {
                    // Said once per reason: a changed reason (the server came up, a wrong CA) is news.
                    logged = why;
                    if (state == State.DISCONNECTED) {
                        LOG.warn("wire.jetstream: {}; retrying forever", why);
                    } else {
                        setState(State.DISCONNECTED, why + "; retrying forever");
                    }
                }
                sleep(backoff(round++));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void onEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            case CONNECTED, RECONNECTED, RESUBSCRIBED -> {
                generation.incrementAndGet();
                if (connection != null) {
                    setState(State.CONNECTED, event.getEvent() + " " + conn.getConnectedUrl());
                }
            }
            case DISCONNECTED -> setState(State.DISCONNECTED, "disconnected (" + lastError + "), reconnecting");
            case CLOSED -> setState(closed ? State.CLOSED : State.DISCONNECTED, "connection closed");
            default -> LOG.debug("NATS event {}", event);
        }
    }

    private void setState(State s, String why) {
        lock.lock();
        try {
            if (state == s) {
                return;
            }
            state = s;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (s == State.CONNECTED || s == State.CLOSED) {
            LOG.info("wire.jetstream: {}", why);
        } else {
            LOG.warn("wire.jetstream: {}", why);
        }
    }

    /** @return the connection when it is up now, else null */
    Connection connection() {
        Connection c = connection;
        return c != null && c.getStatus() == Connection.Status.CONNECTED ? c : null;
    }

    /**
     * @param timeout longest wait
     * @return the connection once up, or null after the timeout, on close or interrupt
     */
    Connection awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            Connection c;
            while ((c = connection()) == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                // Also polls: a jnats status change may precede its listener callback.
                changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** @return a number that changes whenever the connection is (re)established: consumers re-check their setup */
    long generation() {
        return generation.get();
    }

    State state() {
        return state;
    }

    /** @return a one-line status: state, server, last error */
    String describe() {
        Connection c = connection;
        return state + (c != null && state == State.CONNECTED ? " to " + c.getConnectedUrl() : " (servers "
                + settings.servers() + (lastError.isEmpty() ? "" : ", last error: " + lastError) + ")");
    }

    @Override
    public void close() {
        closed = true;
        connectThread.interrupt();
        Connection c;
        lock.lock();
        try {
            c = connection;
            connection = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        setState(State.CLOSED, "connection closed");
    }
}
