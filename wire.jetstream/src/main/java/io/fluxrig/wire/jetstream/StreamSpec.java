package io.fluxrig.wire.jetstream;

import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A stream as this rack wants it: the wires (patterns) it holds, its limits, and how its wires
 * are consumed. Immutable; checked when built, so a bad configuration fails at activation.
 */
record StreamSpec(String name, List<String> wires, StorageType storage, int replicas, Duration maxAge,
        long maxBytes, long maxMsgs, Duration duplicateWindow, DiscardPolicy discard, ConsumerSpec consumer) {

    StreamSpec {
        Names.stream(name);
        wires = List.copyOf(wires);
        if (wires.isEmpty()) {
            throw new IllegalArgumentException("stream " + name + ": wires is empty");
        }
        wires.forEach(Names::wirePattern);
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("stream " + name + ": replicas must be 1 to 5, is " + replicas);
        }
        if (duplicateWindow.toMillis() < 1) {
            throw new IllegalArgumentException("stream " + name + ": duplicate window must be positive");
        }
        if (!maxAge.isZero() && duplicateWindow.compareTo(maxAge) > 0) {
            throw new IllegalArgumentException("stream " + name + ": duplicate window (" + duplicateWindow.toSeconds()
                    + " s) must not exceed max age (" + maxAge.toSeconds() + " s)");
        }
    }

    static StreamSpec from(StreamConfig c) {
        return new StreamSpec(c.name(), c.wires() == null ? List.of() : List.of(c.wires()), storage(c.storage()),
                c.replicas(), Duration.ofSeconds(c.max_age_s()), c.max_bytes(), c.max_msgs(),
                Duration.ofSeconds(c.duplicate_window_s()), discard(c.discard()),
                new ConsumerSpec(c.ordered(), c.max_in_flight(), Duration.ofMillis(c.ack_wait_ms()), c.max_deliver(), Duration.ofMillis(c.nak_delay_ms())));
    }

    static StorageType storage(String s) {
        return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
            case "file" -> StorageType.File;
            case "memory" -> StorageType.Memory;
            default -> throw new IllegalArgumentException("storage '" + s + "': use file or memory");
        };
    }

    static DiscardPolicy discard(String s) {
        return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
            case "old" -> DiscardPolicy.Old;
            case "new" -> DiscardPolicy.New;
            default -> throw new IllegalArgumentException("discard '" + s + "': use old or new");
        };
    }

    /** @return this spec for another stream name and wire list (the default stream of a wire) */
    StreamSpec named(String stream, String wire) {
        return new StreamSpec(stream, List.of(wire), storage, replicas, maxAge, maxBytes, maxMsgs, duplicateWindow,
                discard, consumer);
    }

    boolean holds(String wire) {
        return wires.stream().anyMatch(p -> Names.matches(p, wire));
    }

    List<String> subjects() {
        List<String> s = new ArrayList<>(wires.size());
        wires.forEach(w -> s.add(Names.subject(w)));
        return s;
    }

    StreamConfiguration toConfiguration() {
        return StreamConfiguration.builder().name(name).subjects(subjects()).storageType(storage)
                .replicas(replicas).maxAge(maxAge).maxBytes(maxBytes).maxMessages(maxMsgs)
                .duplicateWindow(duplicateWindow).discardPolicy(discard).build();
    }

    /**
     * @param server the stream as the server has it
     * @return the fields that differ (replicas aside: a different replica count is reported, not a
     *     conflict; see {@link StreamProvisioner}), each as {@code field: server has X, this rack wants Y}; empty when they agree
     */
    List<String> differences(StreamConfiguration server) {
        List<String> d = new ArrayList<>();
        diff(d, "subjects", new java.util.TreeSet<>(server.getSubjects()), new java.util.TreeSet<>(subjects()));
        diff(d, "storage", server.getStorageType(), storage);
        diff(d, "max_age", server.getMaxAge(), maxAge);
        diff(d, "max_bytes", server.getMaxBytes(), maxBytes);
        diff(d, "max_msgs", server.getMaxMsgs(), maxMsgs);
        diff(d, "duplicate_window", server.getDuplicateWindow(), duplicateWindow);
        diff(d, "discard", server.getDiscardPolicy(), discard);
        return d;
    }

    private static void diff(List<String> out, String field, Object server, Object wanted) {
        if (!server.equals(wanted)) {
            out.add(field + ": server has " + server + ", this rack wants " + wanted);
        }
    }
}
