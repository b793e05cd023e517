package io.fluxrig.rack.runtime.snake;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rack end of the Snake: enrols once, then sends a heartbeat with the inventory every period
 * over one HTTP/2 connection (JDK HttpClient, TLS 1.3, the rack's certificate, trusting only the
 * Mixer CA). On any failure it reconnects forever with exponential backoff and jitter. When the
 * Mixer refuses the rack (revoked, unknown, superseded) it logs why once and keeps trying at the
 * slowest pace; the rack's data flows never depend on this.
 *
 * <p>Threading: {@link #start} creates the one thread that does all network and file work;
 * {@link #close} interrupts it and waits. {@link #state} may be read from any thread.
 */
public final class Snake implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Snake.class);
    private static final long BACKOFF_BASE_MS = 500;

    /** Produces a heartbeat body (called on the Snake thread). */
    @FunctionalInterface
    public interface HeartbeatSource {
        /** @return the JSON body @throws IOException when it cannot be built */
        byte[] body() throws IOException;
    }

    private final SnakeSettings settings;
    private final HeartbeatSource source;
    private final SecureRandom random;
    private final Thread thread;
    private volatile String state = "starting";

    /**
     * @param settings the settings (mixer must be set)
     * @param source heartbeat bodies
     * @param random randomness for keys and jitter
     */
    public Snake(SnakeSettings settings, HeartbeatSource source, SecureRandom random) {
        this.settings = settings;
        this.source = source;
        this.random = random;
        this.thread = new Thread(this::run, "fluxrig-snake-" + settings.rack());
        thread.setDaemon(true);
    }

    /** Starts the Snake thread. */
    public void start() {
        thread.start();
    }

    /** @return what the Snake is doing, e.g. {@code online}, {@code refused: ...} */
    public String state() {
        return state;
    }

    private void run() {
        int failures = 0;
        String lastProblem = null;
        HttpClient http = null;
        while (!Thread.currentThread().isInterrupted()) {
            long delay;
            try {
                if (http == null) {
                    http = Enroller.client(identity().sslContext());
                }
                heartbeat(http);
                if (!"online".equals(state)) {
                    LOG.info("Snake to {} online", settings.mixer());
                }
                state = "online";
                failures = 0;
                lastProblem = null;
                delay = settings.heartbeatMillis();
            } catch (InterruptedException e) {
                return;
            } catch (SnakeException | IOException | GeneralSecurityException | RuntimeException e) {
                boolean refused = e instanceof SnakeException s && s.status() >= 400;
                String why = reason(e);
                state = (refused ? "refused: " : "disconnected: ") + why;
                if (!why.equals(lastProblem)) {
                    LOG.warn("Snake to {}: {}{}", settings.mixer(), why,
                            refused ? " (data flows keep running; retrying slowly)" : " (reconnecting)");
                    lastProblem = why;
                }
                failures = refused ? 30 : failures + 1;
                delay = backoff(failures);
                if (!(e instanceof SnakeException)) {
                    http = null; // rebuild: the stored identity may have changed
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
        if (settings.token() == null || settings.caHash() == null) {
            throw new SnakeException(0, "not enrolled: start the rack once with --token and --ca-hash");
        }
        state = "enrolling";
        SnakeIdentity id = new Enroller(settings.mixer(), settings.rack(), settings.dir(), random)
                .enrol(settings.token(), settings.caHash());
        LOG.info("rack {} enrolled with the Mixer at {}; certificate valid until {}", settings.rack(), settings.mixer(),
                id.chain()[0].getNotAfter().toInstant());
        return id;
    }

    private void heartbeat(HttpClient http) throws IOException, InterruptedException, SnakeException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://" + settings.mixer() + "/snake/heartbeat"))
                .timeout(Duration.ofMillis(Math.max(10_000, settings.heartbeatMillis() * 2)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(source.body())).build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new SnakeException(r.statusCode(), "the Mixer refused the heartbeat (" + r.statusCode() + "): "
                    + SnakeJson.fields(r.body()).getOrDefault("error", "no reason given"));
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
        thread.join(10_000);
    }
}
