package io.fluxrig.bench.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated racks saw: heartbeat latencies (per measuring window), failures with a
 * sample of their reasons, which rack received which command and when, results reported.
 * Thread-safe: called from the racks' completion threads; read by the bench and the test.
 */
public final class FleetStats {
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong heartbeatFailures = new AtomicLong();
    private final AtomicLong pollFailures = new AtomicLong();
    private final AtomicLong reported = new AtomicLong();
    private final AtomicLong reportFailures = new AtomicLong();
    private final Set<String> racksWithHeartbeat = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, Long>> receivedAt = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> failureSample = new ConcurrentLinkedQueue<>();

    void heartbeat(String rack, long nanos, boolean ok, String why) {
        if (ok) {
            heartbeats.incrementAndGet();
            racksWithHeartbeat.add(rack);
            latencies.add(nanos);
        } else {
            heartbeatFailures.incrementAndGet();
            sample(rack + " heartbeat: " + why);
        }
    }

    void pollFailed(String rack, String why) {
        pollFailures.incrementAndGet();
        sample(rack + " poll: " + why);
    }

    void commandReceived(String rack, String id) {
        receivedAt.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).putIfAbsent(rack, System.nanoTime());
    }

    void commandReported(String rack, String id, boolean ok) {
        (ok ? reported : reportFailures).incrementAndGet();
        if (!ok) {
            sample(rack + " result of " + id + " not stored");
        }
    }

    private void sample(String s) {
        if (failureSample.size() < 20) {
            failureSample.add(s);
        }
    }

    /** @return heartbeats answered 200 so far */
    public long heartbeats() {
        return heartbeats.get();
    }

    /** @return heartbeats that failed or were refused */
    public long heartbeatFailures() {
        return heartbeatFailures.get();
    }

    /** @return command polls that failed */
    public long pollFailures() {
        return pollFailures.get();
    }

    /** @return command results the Mixer stored */
    public long reported() {
        return reported.get();
    }

    /** @return command results the Mixer did not store */
    public long reportFailures() {
        return reportFailures.get();
    }

    /** @return the racks that had at least one heartbeat answered */
    public Set<String> racksWithHeartbeat() {
        return Set.copyOf(racksWithHeartbeat);
    }

    /** @param commandIds command ids @return the racks that received any of them, with System.nanoTime() of the receipt */
    public Map<String, Long> receipts(Set<String> commandIds) {
        Map<String, Long> out = new ConcurrentHashMap<>();
        for (String id : commandIds) {
            out.putAll(receivedAt.getOrDefault(id, Map.of()));
        }
        return out;
    }

    /** @return up to 20 failure reasons */
    public List<String> failureSample() {
        return new ArrayList<>(failureSample);
    }

    /** @return heartbeat latencies in ms since the last call (p50, p99, max, count), and starts a new window */
    public double[] drainLatencies() {
        List<Long> l = new ArrayList<>();
        for (Long x; (x = latencies.poll()) != null;) {
            l.add(x);
        }
        if (l.isEmpty()) {
            return new double[] {0, 0, 0, 0};
        }
        long[] a = l.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return new double[] {a[a.length / 2] / 1e6, a[Math.min(a.length - 1, (int) (a.length * 0.99))] / 1e6,
            a[a.length - 1] / 1e6, a.length};
    }
}
