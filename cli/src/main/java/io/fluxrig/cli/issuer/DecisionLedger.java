package io.fluxrig.cli.issuer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often the issuer decided each request, keyed by terminal, STAN and RRN (never the PAN). A
 * request decided again is what an at-least-once wire allows: a core rack that died, or lost its
 * NATS node, after calling the issuer and before its decision was stored has the request
 * redelivered, and the issuer decides it a second time (the edge passes only the first answer on).
 * The fault runs count these through {@code GET /decisions}. Up to {@code maxRequests} distinct
 * requests are remembered; decisions of requests beyond that are counted as untracked. Thread-safe:
 * handler threads record, any thread reads.
 */
final class DecisionLedger {
    /** The most repeated requests a snapshot lists. */
    static final int LISTED = 1000;

    private final int maxRequests;
    private final Map<String, AtomicInteger> times = new ConcurrentHashMap<>();
    private final AtomicLong decisions = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong untracked = new AtomicLong();
    private final List<String> repeated = new ArrayList<>(); // guarded by itself: the first LISTED keys decided more than once

    /** @param maxRequests distinct requests remembered (memory: about 100 bytes each) */
    DecisionLedger(int maxRequests) {
        this.maxRequests = maxRequests;
    }

    /** @return the key of a request: {@code terminal|stan|rrn} */
    static String key(Object terminal, Object stan, Object rrn) {
        return terminal + "|" + stan + "|" + rrn;
    }

    /** Records one decision of request {@code key}. */
    void record(String key) {
        decisions.incrementAndGet();
        AtomicInteger n = times.get(key);
        if (n == null) {
            if (times.size() >= maxRequests) {
                untracked.incrementAndGet();
                return;
            }
            n = times.computeIfAbsent(key, k -> new AtomicInteger());
        }
        int now = n.incrementAndGet();
        if (now > 1) {
            repeats.incrementAndGet();
        }
        if (now == 2) {
            synchronized (repeated) {
                if (repeated.size() < LISTED) {
                    repeated.add(key);
                }
            }
        }
    }

    /** @return how often request {@code key} was decided (0: never, or not remembered) */
    int times(String key) {
        AtomicInteger n = times.get(key);
        return n == null ? 0 : n.get();
    }

    /**
     * The counts at one moment (read without a lock: each figure is exact, the set may straddle a decision).
     *
     * @param decisions every decision made
     * @param requests distinct requests remembered
     * @param repeats decisions of a request already decided
     * @param untracked decisions of requests not remembered (beyond the limit)
     * @param repeated the first {@value #LISTED} requests decided more than once, with how often
     */
    record Snapshot(long decisions, long requests, long repeats, long untracked, Map<String, Integer> repeated) {
        /** @return the snapshot as JSON (keys are terminal|stan|rrn: no card data) */
        String json() {
            StringBuilder b = new StringBuilder("{\"decisions\":").append(decisions).append(",\"requests\":").append(requests)
                    .append(",\"repeats\":").append(repeats).append(",\"untracked\":").append(untracked).append(",\"repeated\":{");
            String sep = "";
            for (Map.Entry<String, Integer> e : repeated.entrySet()) {
                b.append(sep).append(IssuerServer.quote(e.getKey())).append(':').append(e.getValue());
                sep = ",";
            }
            return b.append("}}").toString();
        }
    }

    Snapshot snapshot() {
        Map<String, Integer> listed = new java.util.LinkedHashMap<>();
        synchronized (repeated) {
            repeated.forEach(k -> listed.put(k, times(k)));
        }
        return new Snapshot(decisions.get(), times.size(), repeats.get(), untracked.get(), listed);
    }
}
