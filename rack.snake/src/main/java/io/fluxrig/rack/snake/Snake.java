package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.LogText;
import io.fluxrig.rack.spi.Deployer;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.HeartbeatReply;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rack end of the Snake: enrols once, then sends a heartbeat every period (the full inventory
 * only when the Mixer does not hold it, else its digest: {@link InventorySender}) over one HTTP/2 connection (JDK HttpClient, TLS 1.3, the rack's certificate, trusting only the
 * Mixer CA). On any failure it reconnects forever with exponential backoff and jitter. When the
 * Mixer refuses the rack (revoked, unknown, superseded) it logs why once and keeps trying at the
 * slowest pace; the rack's data flows never depend on this.
 *
 * <p>Renewal: after a heartbeat, once {@link SnakeSettings#renewPercent()} of the certificate's
 * validity has passed, the rack makes a new key, sends a CSR on its current mutual-TLS connection
 * and stores what comes back ({@link Renewal}); new connections then use the new certificate.
 *
 * <p>Threading: {@link #start} creates the Snake thread (enrolment, heartbeats) and the command
 * thread ({@link CommandRunner}); a due renewal runs on a short-lived thread of its own so that
 * heartbeats keep their period. {@link #close} interrupts the two long-lived threads and waits. The current
 * client and identity are published through volatile fields; renewal is serialised by
 * {@link #renew}'s lock. {@link #state} and the counters may be read from any thread.
 */
final class Snake implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Snake.class);
    private static final long BACKOFF_BASE_MS = 500;
    /** The release ledger's file in the Snake's folder. */
    static final String RELEASES = "releases.json";

    /** Produces a heartbeat (called on the Snake thread). */
    @FunctionalInterface
    public interface HeartbeatSource {
        /** @return the heartbeat @throws IOException when it cannot be built */
        Heartbeat heartbeat() throws IOException;
    }

    private final SnakeSettings settings;
    private final HeartbeatSource source;
    private final SecureRandom random;
    private final Thread thread;
    private final CommandRunner commands;
    private final Thread commandThread;
    private final java.util.concurrent.atomic.AtomicLong heartbeats = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong heartbeatFailures = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong inventoriesSent = new java.util.concurrent.atomic.AtomicLong();
    private final InventorySender inventories; // Snake thread only
    private volatile String state = "starting";
    private volatile HttpClient http; // the client of the current identity, null while disconnected
    private volatile SnakeIdentity identity;
    private long nextRenewAttempt; // Snake thread only
    private final java.util.concurrent.atomic.AtomicBoolean renewing = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param settings the settings (mixer must be set)
     * @param source heartbeat bodies
     * @param random randomness for keys and jitter
     */
    public Snake(SnakeSettings settings, HeartbeatSource source, SecureRandom random) {
        this(settings, source, random, (Deployer) null);
    }

    /**
     * @param settings the settings (mixer must be set)
     * @param source heartbeat bodies
     * @param random randomness for keys and jitter
     * @param deployer carries out {@code install-bundle} and {@code apply-patch}; null refuses them.
     *        No publisher keys are pinned: development mode (unsigned artifacts accepted)
     */
    public Snake(SnakeSettings settings, HeartbeatSource source, SecureRandom random, Deployer deployer) {
        this(settings, source, random, deployer, new ReleaseGate(new ReleaseKeys()::state,
                new ReleaseLedger(settings.dir().resolve(RELEASES)), java.time.Clock.systemUTC()));
    }

    /**
     * @param settings the settings (mixer must be set)
     * @param source heartbeat bodies
     * @param random randomness for keys and jitter
     * @param deployer carries out {@code install-bundle} and {@code apply-patch}; null refuses them
     * @param releases the signed-release check made before either
     */
    Snake(SnakeSettings settings, HeartbeatSource source, SecureRandom random, Deployer deployer, ReleaseGate releases) {
        this(settings, source, random, deployer, releases, null);
    }

    /**
     * @param settings the settings (mixer must be set)
     * @param source heartbeat bodies
     * @param random randomness for keys and jitter
     * @param deployer carries out {@code install-bundle} and {@code apply-patch}; null refuses them
     * @param releases the signed-release check made before either
     * @param preflight dry-runs bundles against the rack's framework (before every install, and for
     *        {@code preflight-bundle}); null: no framework, pre-flights are refused
     */
    Snake(SnakeSettings settings, HeartbeatSource source, SecureRandom random, Deployer deployer, ReleaseGate releases,
            BundlePreflight preflight) {
        this(settings, source, random, deployer, releases, preflight, new InventorySender());
    }

    /**
     * @param settings the settings (mixer must be set)
     * @param source heartbeat bodies
     * @param random randomness for keys and jitter
     * @param inventories decides whether an inventory travels in full ({@link InventorySender#everyTime()}
     *        behaves as a rack that predates inventory digests, for tests and the heartbeat benchmark)
     */
    Snake(SnakeSettings settings, HeartbeatSource source, SecureRandom random, InventorySender inventories) {
        this(settings, source, random, null, new ReleaseGate(new ReleaseKeys()::state,
                new ReleaseLedger(settings.dir().resolve(RELEASES)), java.time.Clock.systemUTC()), null, inventories);
    }

    private Snake(SnakeSettings settings, HeartbeatSource source, SecureRandom random, Deployer deployer,
            ReleaseGate releases, BundlePreflight preflight, InventorySender inventories) {
        this.inventories = inventories;
        this.settings = settings;
        this.source = source;
        this.random = random;
        this.thread = new Thread(this::run, "fluxrig-snake-" + settings.rack());
        thread.setDaemon(true);
        this.commands = new CommandRunner(this, settings, deployer, releases, preflight);
        this.commandThread = new Thread(commands, "fluxrig-snake-commands-" + settings.rack());
        commandThread.setDaemon(true);
    }

    /** Starts the Snake thread and the command thread. */
    public void start() {
        thread.start();
        commandThread.start();
    }

    /** @return heartbeats the Mixer accepted since start */
    public long heartbeats() {
        return heartbeats.get();
    }

    /** @return heartbeats the Mixer accepted that carried the full inventory (the others carried its digest) */
    public long inventoriesSent() {
        return inventoriesSent.get();
    }

    /** @return heartbeats that failed since start (refused, or no answer) */
    public long heartbeatFailures() {
        return heartbeatFailures.get();
    }

    /** @return the settings */
    SnakeSettings settings() {
        return settings;
    }

    /** @return the client of the current identity, or null while not connected */
    HttpClient client() {
        return http;
    }

    /**
     * Renews the rack certificate now over the current connection (also used by the
     * {@code renew-certificate} command). Serialised: one renewal at a time.
     *
     * @return the new identity
     * @throws SnakeException when there is no connection or the Mixer refuses
     * @throws InterruptedException when interrupted
     */
    synchronized SnakeIdentity renew() throws SnakeException, InterruptedException {
        HttpClient current = http;
        if (current == null) {
            throw new SnakeException(0, "not connected to the Mixer");
        }
        SnakeIdentity old = identity;
        SnakeIdentity renewed = new Renewal(settings, random).renew(current, old);
        identity = renewed;
        http = TlsContexts.http2(sslContext(renewed)); // new connections present the new certificate
        LOG.info("rack {} certificate renewed: serial {} valid until {} (was serial {}, until {})", settings.rack(),
                renewed.chain()[0].getSerialNumber().toString(16), renewed.chain()[0].getNotAfter().toInstant(),
                old.chain()[0].getSerialNumber().toString(16), old.chain()[0].getNotAfter().toInstant());
        return renewed;
    }

    private static javax.net.ssl.SSLContext sslContext(SnakeIdentity id) throws SnakeException {
        try {
            return id.sslContext();
        } catch (GeneralSecurityException e) {
            throw new SnakeException(0, "the renewed identity is unusable: " + e.getMessage());
        }
    }

    /**
     * Starts a renewal when the certificate is past its renewal point. It runs on its own short-lived
     * thread so heartbeats keep their period meanwhile; a failure is retried later, never fatal
     * (the current certificate stays valid and in use).
     */
    private void renewIfDue() {
        X509Certificate leaf = identity.chain()[0];
        long from = leaf.getNotBefore().getTime();
        long due = from + (leaf.getNotAfter().getTime() - from) * settings.renewPercent() / 100;
        long now = System.currentTimeMillis();
        if (now < due || now < nextRenewAttempt || !renewing.compareAndSet(false, true)) {
            return;
        }
        nextRenewAttempt = now + Math.min(60_000, 10 * settings.heartbeatMillis());
        Thread t = new Thread(() -> {
            try {
                renew();
            } catch (SnakeException e) {
                LOG.warn("rack {} certificate renewal failed (retrying; the certificate is valid until {}): {}",
                        settings.rack(), leaf.getNotAfter().toInstant(), LogText.escape(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                renewing.set(false);
            }
        }, "fluxrig-snake-renew-" + settings.rack());
        t.setDaemon(true);
        t.start();
    }

    /** @return what the Snake is doing, e.g. {@code online}, {@code refused: ...} */
    public String state() {
        return state;
    }

    private void run() {
        int failures = 0;
        String lastProblem = null;
        while (!Thread.currentThread().isInterrupted()) {
            long delay;
            long began = System.nanoTime();
            try {
                HttpClient client = http;
                if (client == null) {
                    SnakeIdentity id = identity();
                    client = TlsContexts.http2(id.sslContext());
                    synchronized (this) {
                        identity = id;
                        http = client;
                    }
                }
                heartbeat(client);
                heartbeats.incrementAndGet();
                if (!"online".equals(state)) {
                    LOG.info("Snake to {} online", settings.mixer());
                }
                state = "online";
                failures = 0;
                lastProblem = null;
                renewIfDue();
                // At a fixed rate: the round trip does not stretch the period.
                delay = Math.max(0, settings.heartbeatMillis() - (System.nanoTime() - began) / 1_000_000);
            } catch (InterruptedException e) {
                return;
            } catch (SnakeException | IOException | GeneralSecurityException | RuntimeException e) {
                heartbeatFailures.incrementAndGet();
                // 503: the Mixer is up but its registry (NATS) is not; that passes, keep the normal pace.
                boolean refused = e instanceof SnakeException s && s.status() >= 400 && s.status() != 503;
                String why = reason(e);
                state = (refused ? "refused: " : "disconnected: ") + why;
                if (!why.equals(lastProblem)) {
                    LOG.warn("Snake to {}: {}{}", settings.mixer(), LogText.escape(why),
                            refused ? " (data flows keep running; retrying slowly)" : " (reconnecting)");
                    lastProblem = why;
                }
                failures = refused ? 30 : failures + 1;
                delay = backoff(failures);
                if (!(e instanceof SnakeException)) {
                    http = null; // rebuild: the stored identity may have changed
                    inventories.forget(); // a new connection: the Mixer holds the digest per connection
                }
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private SnakeIdentity identity() throws SnakeException, IOException, GeneralSecurityException, InterruptedException {
        if (SnakeIdentity.exists(settings.dir())) {
            SnakeIdentity id = SnakeIdentity.load(settings.dir());
            // The Mixer's TLS alert for a refused certificate is generic: say it here, where it is known.
            X509Certificate leaf = id.chain()[0];
            if (leaf.getNotAfter().toInstant().isBefore(java.time.Instant.now())) {
                throw new SnakeException(0, "the rack certificate expired at " + leaf.getNotAfter().toInstant()
                        + "; enrol again with a new token");
            }
            return id;
        }
        if (settings.tokenFile() == null || settings.caHash() == null) {
            throw new SnakeException(0, "not enrolled: configure " + SnakeConfig.PID + " with token.file and ca.hash "
                    + "(run/fluxrig rack --mixer H:P --token-file FILE does)");
        }
        String token = Files.readString(settings.tokenFile()).strip(); // on the Snake thread, only when enrolling
        state = "enrolling";
        SnakeIdentity id = new Enroller(settings.mixer(), settings.rack(), settings.dir(), random)
                .enrol(token, settings.caHash());
        LOG.info("rack {} enrolled with the Mixer at {}; certificate valid until {}", settings.rack(), settings.mixer(),
                id.chain()[0].getNotAfter().toInstant());
        return id;
    }

    /**
     * Sends one heartbeat: the inventory's digest when the Mixer holds that inventory, else the
     * full inventory ({@link InventorySender}); when the Mixer answers that it does not hold the
     * digest sent, the full inventory follows at once.
     */
    private void heartbeat(HttpClient http) throws IOException, InterruptedException, SnakeException {
        Heartbeat current = source.heartbeat();
        Heartbeat body = inventories.body(current);
        if (inventories.answered(body, post(http, body))) {
            Heartbeat full = inventories.body(current);
            inventories.answered(full, post(http, full));
        }
    }

    private HeartbeatReply post(HttpClient http, Heartbeat body) throws IOException, InterruptedException, SnakeException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://" + settings.mixer() + SnakeRoute.HEARTBEAT.path()))
                .timeout(Duration.ofMillis(Math.max(10_000, settings.heartbeatMillis() * 2)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SnakeCodec.json().write(body))).build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            inventories.forget();
            throw new SnakeException(r.statusCode(), "the Mixer refused the heartbeat (" + r.statusCode() + "): "
                    + SnakeCodec.json().error(r.body()));
        }
        if (body.inventory() != null) {
            inventoriesSent.incrementAndGet();
        }
        try {
            return SnakeCodec.json().read(r.body(), HeartbeatReply.class);
        } catch (SnakeCodec.DecodeException e) {
            inventories.forget();
            throw new SnakeException(0, "the Mixer's heartbeat answer is not one: " + e.getMessage());
        }
    }

    /** Exponential backoff with "equal jitter": half fixed, half random, capped. */
    long backoff(int failures) {
        long cap = Math.min(settings.backoffMaxMillis(), BACKOFF_BASE_MS << Math.min(failures, 20));
        return cap / 2 + (long) (random.nextDouble() * (cap / 2 + 1));
    }

    static String reason(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        commandThread.interrupt();
        thread.join(10_000);
        commandThread.join(10_000);
    }
}
