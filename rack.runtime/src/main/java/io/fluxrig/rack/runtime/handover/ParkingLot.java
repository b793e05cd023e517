package io.fluxrig.rack.runtime.handover;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parked resources of a rack, by key, and their expiry: the logic of {@link HandoverService}
 * without its timer, so it can be tested by running the expiry task by hand.
 *
 * <p>Threading and ownership: every method is synchronized on this. A parked entry owns its
 * resources until {@link #claim} hands them to the caller or {@link #expire} (run by the
 * scheduler after the grace period) or {@link #closeAll} closes them. Closing happens outside the
 * lock; {@link AutoCloseable#close()} failures are logged and ignored.
 */
final class ParkingLot {
    private static final Logger LOG = LoggerFactory.getLogger(ParkingLot.class);

    private record Entry(List<? extends AutoCloseable> resources, Map<String, Object> state, long token) {
    }

    private final Map<String, Entry> parked = new HashMap<>();
    /** Schedules an expiry task after the grace period (milliseconds). */
    private final BiConsumer<Runnable, Long> scheduler;
    private final long graceMs;
    private long tokens;
    private boolean closed;

    /**
     * @param scheduler runs its task once after the given delay in milliseconds (the service's timer)
     * @param graceMs how long a parked entry waits for its claim
     */
    ParkingLot(BiConsumer<Runnable, Long> scheduler, long graceMs) {
        this.scheduler = scheduler;
        this.graceMs = graceMs;
    }

    void park(String key, List<? extends AutoCloseable> resources, Map<String, Object> state) {
        Entry replaced;
        long token;
        synchronized (this) {
            if (closed) {
                replaced = new Entry(resources, state, -1);
                token = -1;
            } else {
                token = ++tokens;
                replaced = parked.put(key, new Entry(List.copyOf(resources), state, token));
            }
        }
        if (replaced != null) {
            close(key, replaced, token < 0 ? "the rack's hand-over service is stopping" : "parked again");
        }
        if (token >= 0) {
            LOG.info("hand-over {}: parked {} resource(s), closed unless claimed within {} ms", key, resources.size(), graceMs);
            scheduler.accept(() -> expire(key, token), graceMs);
        }
    }

    synchronized Map<String, Object> claim(String key) {
        Entry e = parked.remove(key);
        if (e == null) {
            return null;
        }
        LOG.info("hand-over {}: claimed {} resource(s)", key, e.resources().size());
        return e.state();
    }

    /** Closes the entry parked under key by the park that got {@code token}, if it is still there. */
    void expire(String key, long token) {
        Entry e;
        synchronized (this) {
            e = parked.get(key);
            if (e == null || e.token() != token) {
                return;
            }
            parked.remove(key);
        }
        close(key, e, "not claimed within " + graceMs + " ms");
    }

    /** Closes everything parked; later parks close at once. */
    void closeAll() {
        Map<String, Entry> all;
        synchronized (this) {
            closed = true;
            all = new HashMap<>(parked);
            parked.clear();
        }
        all.forEach((key, e) -> close(key, e, "the rack's hand-over service is stopping"));
    }

    /** @return the keys parked now */
    synchronized List<String> keys() {
        return List.copyOf(parked.keySet());
    }

    private static void close(String key, Entry e, String why) {
        for (AutoCloseable c : e.resources()) {
            try {
                c.close();
            } catch (Exception ex) {
                LOG.debug("hand-over {}: closing {} failed: {}", key, c, ex.toString());
            }
        }
        LOG.info("hand-over {}: closed {} resource(s): {}", key, e.resources().size(), why);
    }
}
