package io.fluxrig.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A Jepsen-style checker of what a wire holds at the end of a run. Producers record each
 * (producer, seq) with its fluxMsg id once their publish was acknowledged; then every message the
 * output stream holds is recorded in stream order, with the delivery count the rack saw when it
 * handled it. {@link #check} reports per producer: acknowledged, stored, lost (acknowledged, never
 * stored), duplicated (stored more than once), of those the ones whose copies carry another fluxMsg
 * id than the acknowledged one (a true duplicate, not a redelivery of the same message), reordered
 * (stored after a higher seq of the same producer), and how many were first stored from a
 * redelivery (delivery count above 1: in flight when the rack died). Not thread-safe: producers
 * record under the caller's own synchronisation ({@link #acked} is synchronized), the reading
 * happens on one thread after the run.
 */
final class WireOutChecker {
    /** The counts of one producer. */
    record Counts(int acked, int stored, List<String> lost, List<String> duplicated, List<String> otherId,
            int reordered, int fromRedelivery) {
        @Override
        public String toString() {
            return "acked " + acked + ", stored " + stored + ", lost " + lost.size() + first(lost) + ", duplicated "
                    + duplicated.size() + first(duplicated) + ", duplicates with another id " + otherId.size() + first(otherId)
                    + ", reordered " + reordered + ", first stored from a redelivery " + fromRedelivery;
        }

        private static String first(List<String> l) {
            return l.isEmpty() ? "" : " " + l.stream().limit(5).toList();
        }
    }

    private final Map<String, Map<Long, UUID>> acked = new TreeMap<>();
    private final Map<String, Map<Long, List<UUID>>> stored = new TreeMap<>();
    private final Map<String, Long> highest = new HashMap<>();
    private final Map<String, Integer> reordered = new HashMap<>();
    private final Map<String, Integer> fromRedelivery = new HashMap<>();

    synchronized void acked(String producer, long seq, UUID id) {
        acked.computeIfAbsent(producer, p -> new HashMap<>()).put(seq, id);
    }

    /** One message of the output stream, in stream order. */
    synchronized void stored(String producer, long seq, UUID id, int deliveryCount) {
        List<UUID> copies = stored.computeIfAbsent(producer, p -> new HashMap<>()).computeIfAbsent(seq, s -> new ArrayList<>());
        copies.add(id);
        if (copies.size() > 1) {
            return;
        }
        Long high = highest.get(producer);
        if (high != null && seq < high) {
            reordered.merge(producer, 1, Integer::sum);
        } else {
            highest.put(producer, seq);
        }
        if (deliveryCount > 1) {
            fromRedelivery.merge(producer, 1, Integer::sum);
        }
    }

    synchronized Map<String, Counts> check() {
        Map<String, Counts> out = new TreeMap<>();
        java.util.Set<String> producers = new java.util.TreeSet<>(acked.keySet());
        producers.addAll(stored.keySet());
        for (String p : producers) {
            Map<Long, UUID> a = acked.getOrDefault(p, Map.of());
            Map<Long, List<UUID>> s = stored.getOrDefault(p, Map.of());
            List<String> lost = new ArrayList<>();
            List<String> duplicated = new ArrayList<>();
            List<String> otherId = new ArrayList<>();
            new TreeMap<>(a).forEach((seq, id) -> {
                if (!s.containsKey(seq)) {
                    lost.add(p + ":" + seq);
                }
            });
            int storedCount = 0;
            for (Map.Entry<Long, List<UUID>> e : new TreeMap<>(s).entrySet()) {
                storedCount += e.getValue().size();
                if (e.getValue().size() > 1) {
                    duplicated.add(p + ":" + e.getKey());
                }
                UUID expected = a.get(e.getKey());
                if (e.getValue().stream().anyMatch(id -> !id.equals(expected))) {
                    otherId.add(p + ":" + e.getKey());
                }
            }
            out.put(p, new Counts(a.size(), storedCount, lost, duplicated, otherId, reordered.getOrDefault(p, 0),
                    fromRedelivery.getOrDefault(p, 0)));
        }
        return out;
    }
}
