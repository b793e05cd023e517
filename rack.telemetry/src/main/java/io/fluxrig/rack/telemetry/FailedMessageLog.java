package io.fluxrig.rack.telemetry;

import io.fluxrig.msg.SensitiveData;
import io.fluxrig.telemetry.FailedMessages;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The last N failed messages of the rack, shown below the live console page's tables: time, gear
 * (or wire), reason masked by the card-data rule set, trace id. Memory is bounded: at most
 * {@link #capacity} entries, each reason cut to {@value #MAX_REASON} characters; the oldest entry
 * goes when a new one comes. Thread-safe: {@link #failed} is called from any gear or wire thread
 * and holds the lock only to add to the ring; {@link #recent} copies under the same lock.
 */
final class FailedMessageLog implements FailedMessages {
    /** Configuration property of {@value TelemetryComponent#PID}: how many failures the page shows. */
    static final String CAPACITY_PROPERTY = "live.failed.messages";
    /** Its default. */
    static final int DEFAULT_CAPACITY = 20;
    /** Its largest value. */
    static final int MAX_CAPACITY = 1000;
    /** The longest reason kept, in characters (after masking). */
    static final int MAX_REASON = 500;
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    private final int capacity;
    private final LongSupplier clock;
    private final ArrayDeque<Map<String, Object>> ring;

    /**
     * @param capacity how many failures are kept, 1..{@value #MAX_CAPACITY}
     * @param clock epoch milliseconds
     */
    FailedMessageLog(int capacity, LongSupplier clock) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException(CAPACITY_PROPERTY + " " + capacity + " must be 1 to " + MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.clock = clock;
        this.ring = new ArrayDeque<>(capacity);
    }

    /**
     * @param props the telemetry configuration
     * @return the capacity it sets ({@value #CAPACITY_PROPERTY}), else {@value #DEFAULT_CAPACITY}
     * @throws IllegalArgumentException naming the property when it is not a whole number 1..{@value #MAX_CAPACITY}
     */
    static int capacity(Map<String, Object> props) {
        Object v = props.get(CAPACITY_PROPERTY);
        if (v == null || v.toString().isBlank()) {
            return DEFAULT_CAPACITY;
        }
        try {
            int n = Integer.parseInt(v.toString().strip());
            if (n >= 1 && n <= MAX_CAPACITY) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(CAPACITY_PROPERTY + " '" + v + "' must be a whole number 1 to " + MAX_CAPACITY);
    }

    int capacity() {
        return capacity;
    }

    @Override
    public void failed(String gear, String reason, String traceparent) {
        String masked = SensitiveData.maskText(reason == null ? "" : reason);
        if (masked.length() > MAX_REASON) {
            masked = masked.substring(0, MAX_REASON - 3) + "...";
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", clock.getAsLong());
        e.put("gear", SensitiveData.maskText(String.valueOf(gear)));
        e.put("reason", masked);
        e.put("trace_id", traceId(traceparent));
        synchronized (ring) {
            if (ring.size() == capacity) {
                ring.removeLast();
            }
            ring.addFirst(e);
        }
    }

    /** @return the kept failures, newest first: maps {@code at} (epoch ms), {@code gear}, {@code reason}, {@code trace_id} (or null) */
    List<Map<String, Object>> recent() {
        synchronized (ring) {
            return new ArrayList<>(ring);
        }
    }

    /** @return the trace id of a W3C traceparent, or null when there is none or it is not one */
    static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var m = TRACEPARENT.matcher(traceparent.strip());
        return m.matches() ? m.group(1) : null;
    }
}
