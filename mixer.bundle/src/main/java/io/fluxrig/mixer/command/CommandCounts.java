package io.fluxrig.mixer.command;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this Mixer's {@link Commands} did since it started, for the Mixer's metrics: commands
 * queued, deliveries to racks (a redelivery counts again), and first results by status
 * ({@code done}, {@code failed}, {@code refused}; a repeated report of the same result is not
 * counted again). Counts of this Mixer only: another Mixer on the same NATS counts its own.
 *
 * <p>Owned by {@link Commands}; thread-safe.
 */
public final class CommandCounts {
    private final LongAdder queued = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final Map<String, LongAdder> results = new ConcurrentHashMap<>();

    CommandCounts() {
        for (String s : new String[] {CommandRecord.DONE, CommandRecord.FAILED, CommandRecord.REFUSED}) {
            results.put(s, new LongAdder());
        }
    }

    void queued() {
        queued.increment();
    }

    void delivered(int n) {
        delivered.add(n);
    }

    void result(String status) {
        results.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** @return commands queued on this Mixer */
    public long queuedTotal() {
        return queued.sum();
    }

    /** @return deliveries of commands to racks (a command delivered again counts again) */
    public long deliveredTotal() {
        return delivered.sum();
    }

    /** @return first results reported by racks, per status */
    public Map<String, Long> results() {
        Map<String, Long> out = new TreeMap<>();
        results.forEach((s, n) -> out.put(s, n.sum()));
        return out;
    }
}
