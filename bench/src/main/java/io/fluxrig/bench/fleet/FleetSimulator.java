package io.fluxrig.bench.fleet;

import io.fluxrig.testsupport.snake.SnakeConnector;
import io.fluxrig.testsupport.snake.SnakeEnrolment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many simulated racks ({@link SimRack}) in one JVM against one Mixer: each enrolled with its own
 * token, key and certificate, each on its own TLS connection. Racks are added in batches
 * ({@link #add}); enrolment runs a few at a time (the Mixer limits concurrent requests without a
 * client certificate per source address and answers 429 beyond; those are retried).
 *
 * <p>Threading: owns a small timer (heartbeat schedules), one {@link SnakeConnector} whose two
 * selector threads and small pool carry every rack's connection, a shared executor for the
 * enrolment client, and a few enrolment threads while {@link #add} runs; {@link #close} stops
 * them. No thread per rack.
 */
public final class FleetSimulator implements AutoCloseable {
    /** Mints a one-time enrolment token for a rack name with labels. */
    public interface TokenSource {
        /** @param rack the name @param labels its labels @return the token @throws Exception when refused */
        String mint(String rack, Map<String, String> labels) throws Exception;
    }

    private final String snake;
    private final String caHash;
    private final long periodMs;
    private final boolean inventoryDigests;
    private final double busyShare;
    private final FleetStats stats = new FleetStats();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("fleet-timer"));
    private final ExecutorService shared = Executors.newFixedThreadPool(8, daemon("fleet-io"));
    private final List<SimRack> racks = new ArrayList<>();
    private java.net.http.HttpClient pinned;
    private SnakeConnector connector;

    /**
     * @param snake HOST:PORT of the Mixer's Snake
     * @param caHash the Mixer CA hash racks pin
     * @param periodMs heartbeat period
     * @param busyShare the share of racks whose gear counters move (traffic), 0 to 1
     */
    public FleetSimulator(String snake, String caHash, long periodMs, double busyShare) {
        this(snake, caHash, periodMs, busyShare, true);
    }

    /**
     * @param snake HOST:PORT of the Mixer's Snake
     * @param caHash the Mixer CA hash racks pin
     * @param periodMs heartbeat period
     * @param busyShare the share of racks whose gear counters move (traffic), 0 to 1
     * @param inventoryDigests whether racks send their inventory only when the Mixer does not hold
     *     its digest, as racks do (false: the full inventory in every heartbeat)
     */
    public FleetSimulator(String snake, String caHash, long periodMs, double busyShare, boolean inventoryDigests) {
        this.snake = snake;
        this.caHash = caHash;
        this.periodMs = periodMs;
        this.busyShare = busyShare;
        this.inventoryDigests = inventoryDigests;
    }

    /** @return what the racks saw */
    public FleetStats stats() {
        return stats;
    }

    /** @return how many racks run */
    public int size() {
        return racks.size();
    }

    /** @param i a rack number @return its name */
    public static String name(int i) {
        return String.format("sim-%05d", i);
    }

    /** @param i a rack number @return its labels: ten sites, edge or core */
    public static Map<String, String> labels(int i) {
        return Map.of("site", "site-" + (i % 10), "tier", i % 50 == 0 ? "core" : "edge");
    }

    /**
     * Enrols and starts racks until {@code total} run (blocking).
     *
     * @param total how many racks should run afterwards
     * @param tokens mints their tokens
     * @param enrolThreads concurrent enrolments
     * @param progress told after each enrolment (racks enrolled so far)
     * @throws Exception the first enrolment that failed for good
     */
    public void add(int total, TokenSource tokens, int enrolThreads, java.util.function.IntConsumer progress) throws Exception {
        ExecutorService enrol = Executors.newFixedThreadPool(enrolThreads, daemon("fleet-enrol"));
        AtomicInteger done = new AtomicInteger(racks.size());
        try {
            List<Future<SimRack>> pending = new ArrayList<>();
            for (int i = racks.size(); i < total; i++) {
                int n = i;
                pending.add(enrol.submit(() -> {
                    SimRack r = new SimRack(name(n), snake, periodMs, (n * 7919 % 1000) < busyShare * 1000, inventoryDigests, stats);
                    enrolWithRetry(r, () -> tokens.mint(r.name(), labels(n)));
                    r.start(timer);
                    progress.accept(done.incrementAndGet());
                    return r;
                }));
            }
            for (Future<SimRack> f : pending) {
                racks.add(f.get());
            }
        } finally {
            enrol.shutdownNow();
        }
    }

    /** Mints a token when asked (a new one after an exchange that may have used the last). */
    private interface Minter {
        String mint() throws Exception;
    }

    /**
     * Enrols, retrying a refusal for load (408 body too slow, 429, 503) with the same token, and a failed exchange
     * (timed out under load: the Mixer may have used the token already) with a fresh one; so too a "token already
     * used" (401) right after a 503, when the Mixer's store failed after it had used the token.
     */
    private void enrolWithRetry(SimRack r, Minter tokens) throws Exception {
        String token = tokens.mint();
        boolean unsure = false; // an earlier attempt may have spent the token (503: the Mixer's store failed after using it)
        for (int attempt = 1;; attempt++) {
            try {
                r.enrol(token, caHash, pinned(), connector());
                return;
            } catch (SnakeEnrolment.Refused e) {
                boolean spent = unsure && e.status() == 401; // "token already used" by the attempt that got the 503
                if ((e.status() != 408 && e.status() != 429 && e.status() != 503 && e.status() != 0 && !spent) || attempt >= 20) {
                    throw new IOException("rack " + r.name() + " not enrolled: " + e.getMessage(), e);
                }
                unsure = e.status() == 503;
                if (e.status() == 0 || spent) {
                    token = tokens.mint(); // bound to the rack's name: enrols it again
                }
            } catch (IOException e) {
                if (attempt >= 20) {
                    throw new IOException("rack " + r.name() + " not enrolled: " + e, e);
                }
                token = tokens.mint();
            }
            Thread.sleep(50L * attempt);
        }
    }

    private synchronized java.net.http.HttpClient pinned() throws java.security.GeneralSecurityException {
        if (pinned == null) {
            pinned = SimRack.pinnedClient(caHash, shared);
        }
        return pinned;
    }

    private synchronized SnakeConnector connector() throws Exception {
        if (connector == null) {
            int colon = snake.lastIndexOf(':');
            connector = new SnakeConnector(snake.substring(0, colon), Integer.parseInt(snake.substring(colon + 1)), 2, 16);
        }
        return connector;
    }

    @Override
    public void close() {
        racks.forEach(SimRack::stop);
        timer.shutdownNow();
        shared.shutdownNow();
        try {
            if (connector != null) {
                connector.close();
            }
        } catch (Exception e) {
            // closing: the racks' connections go with the JVM
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
