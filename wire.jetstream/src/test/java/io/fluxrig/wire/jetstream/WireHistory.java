package io.fluxrig.wire.jetstream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Jepsen-style checker: producers record each (producer, seq) once its publish was
 * acknowledged, the consumer records each delivery with its delivery count; {@link #check}
 * reports acknowledged messages never delivered (lost), messages delivered more than once
 * (split into redeliveries, whose later deliveries carry a count above 1, and repeats delivered as
 * "first delivery" (count 1) twice), and reorderings (per producer, first deliveries not in sequence
 * order). A message delivered again with count 1 is still a redelivery when the stream holds it once:
 * the server lost its ack state (SIGKILL of one server), or on a cluster a new consumer leader did not
 * know of a delivery the old leader made before the delivered state was replicated. Whether it was
 * stored twice is what {@link Result#storedTwice} says when the test records each delivery's stream
 * sequence (one message delivered under two stream sequences was stored twice); the tests check the
 * stream's message count too. {@link #phase} tags deliveries so a report says which fault caused
 * them. Thread-safe.
 */
final class WireHistory {
    record Result(int acked, int delivered, Set<String> lost, int redelivered, Set<String> duplicated, List<String> reordered,
            Map<String, Integer> againByPhase, Set<String> storedTwice) {
        @Override
        public String toString() {
            return "acked " + acked + ", deliveries " + delivered + ", lost " + lost.size() + " " + first(lost)
                    + ", redelivered with count > 1: " + redelivered + ", delivered again with count 1: " + duplicated.size()
                    + " " + first(duplicated) + " by phase " + againByPhase + ", under two stream sequences (stored twice): "
                    + storedTwice.size() + " " + first(storedTwice) + ", reordered " + reordered.size() + " " + first(reordered);
        }

        private static String first(java.util.Collection<String> c) {
            return c.isEmpty() ? "" : c.stream().limit(5).toList().toString();
        }
    }

    private final Set<String> acked = new TreeSet<>();
    private final Map<String, Integer> firstDeliveries = new HashMap<>();
    private final Map<String, List<Long>> order = new HashMap<>();
    private final Map<String, Integer> againByPhase = new java.util.TreeMap<>();
    private final Map<String, Set<Long>> streamSeqs = new HashMap<>();
    private String phase = "start";
    private int deliveries;
    private int redeliveries;

    synchronized void phase(String name) {
        phase = name;
    }

    synchronized void acked(String producer, long seq) {
        acked.add(producer + ":" + seq);
    }

    /**
     * A delivery whose stream sequence is known: the same message under two stream sequences was
     * stored twice ({@link Result#storedTwice}).
     */
    synchronized void delivered(String producer, long seq, int deliveryCount, long streamSeq) {
        streamSeqs.computeIfAbsent(producer + ":" + seq, k -> new TreeSet<>()).add(streamSeq);
        delivered(producer, seq, deliveryCount);
    }

    synchronized void delivered(String producer, long seq, int deliveryCount) {
        deliveries++;
        String key = producer + ":" + seq;
        if (deliveryCount > 1) {
            redeliveries++;
        }
        if (deliveryCount == 1 || !firstDeliveries.containsKey(key)) {
            firstDeliveries.merge(key, 1, Integer::sum);
            if (firstDeliveries.get(key) > 1) {
                againByPhase.merge(phase, 1, Integer::sum);
            } else {
                order.computeIfAbsent(producer, p -> new ArrayList<>()).add(seq);
            }
        }
    }

    synchronized int distinctDelivered() {
        return firstDeliveries.size();
    }

    synchronized Result check() {
        Set<String> lost = new TreeSet<>(acked);
        lost.removeAll(firstDeliveries.keySet());
        Set<String> duplicated = new TreeSet<>();
        firstDeliveries.forEach((k, n) -> {
            if (n > 1) {
                duplicated.add(k);
            }
        });
        List<String> reordered = new ArrayList<>();
        order.forEach((p, seqs) -> {
            for (int i = 1; i < seqs.size(); i++) {
                if (seqs.get(i) <= seqs.get(i - 1)) {
                    reordered.add(p + ":" + seqs.get(i) + " after " + seqs.get(i - 1));
                }
            }
        });
        Set<String> storedTwice = new TreeSet<>();
        streamSeqs.forEach((k, seqs) -> {
            if (seqs.size() > 1) {
                storedTwice.add(k + " at " + seqs);
            }
        });
        return new Result(acked.size(), deliveries, lost, redeliveries, duplicated, reordered, new java.util.TreeMap<>(againByPhase),
                storedTwice);
    }
}
