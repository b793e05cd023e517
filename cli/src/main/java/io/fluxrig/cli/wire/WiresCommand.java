package io.fluxrig.cli.wire;

import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Console;
import io.fluxrig.nats.trust.WireSubjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code wires}: one table of the wires on a NATS server (subjects under {@code fluxrig.wire.}
 * of every stream), each with its message count, its dead-letter count ({@code <wire>.dlq}), and
 * one row per durable consumer reading it, with the counters of the consumer's info. Read only.
 */
@Command(name = "wires", description = {"list the wires on a NATS server with pending, acked, redelivered and dead-letter counts",
        "One row per (wire, durable consumer); a wire without consumers gets one row with '-':",
        "  WIRE         the wire (subject fluxrig.wire.WIRE); dead-letter wires end in .dlq",
        "  STREAM       the JetStream stream holding it",
        "  MESSAGES     messages the stream holds on that wire",
        "  DLQ          messages held on WIRE.dlq ('-' for a dead-letter wire itself)",
        "  CONSUMER     durable consumer (one per rack and gear instance)",
        "  PENDING      messages not yet delivered to it (num_pending)",
        "  ACK_PENDING  delivered, neither acked nor naked yet (num_ack_pending)",
        "  REDELIVERED  delivered more than once and not acked yet (num_redelivered)",
        "  ACKED        done with: MESSAGES - PENDING - ACK_PENDING (acked, or terminated because it was dead-lettered)",
        "Read only."})
public final class WiresCommand implements Callable<Integer> {
    static final String HEADER = String.format("%-24s %-20s %8s %6s  %-28s %8s %11s %11s %8s",
            "WIRE", "STREAM", "MESSAGES", "DLQ", "CONSUMER", "PENDING", "ACK_PENDING", "REDELIVERED", "ACKED");

    /** A wire as found: its stream, stored messages, and the consumers whose filter is its subject. */
    private record Wire(String name, String stream, long messages, List<ConsumerInfo> consumers) {
    }

    private final Console console;

    @Mixin
    WireCli.ServerOption server;

    WiresCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        try (Connection c = WireCli.connect(server)) {
            Map<String, Wire> wires = find(c.jetStreamManagement());
            console.out().println(HEADER);
            for (Wire w : wires.values()) {
                Wire dlq = w.name().endsWith(WireSubjects.DLQ_SUFFIX) ? null : wires.get(w.name() + WireSubjects.DLQ_SUFFIX);
                String dlqCount = w.name().endsWith(WireSubjects.DLQ_SUFFIX) ? "-" : Long.toString(dlq == null ? 0 : dlq.messages());
                if (w.consumers().isEmpty()) {
                    console.out().println(row(w, dlqCount, "-", "-", "-", "-", "-"));
                }
                for (ConsumerInfo ci : w.consumers()) {
                    long acked = Math.max(0, w.messages() - ci.getNumPending() - ci.getNumAckPending());
                    console.out().println(row(w, dlqCount, ci.getName(), Long.toString(ci.getNumPending()),
                            Long.toString(ci.getNumAckPending()), Long.toString(ci.getRedelivered()), Long.toString(acked)));
                }
            }
            console.out().println(wires.size() + " wires");
            return Exit.OK;
        } catch (JetStreamApiException e) {
            console.err().println("fluxrig wires: JetStream refused: " + e.getErrorDescription());
            return Exit.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Exit.FAILED;
        }
    }

    private static String row(Wire w, String dlq, String consumer, String pending, String ackPending, String redelivered,
            String acked) {
        return String.format("%-24s %-20s %8d %6s  %-28s %8s %11s %11s %8s", w.name(), w.stream(), w.messages(), dlq,
                consumer, pending, ackPending, redelivered, acked);
    }

    /** Wires sorted by name: literal subjects of each stream, plus every subject holding messages. */
    private static Map<String, Wire> find(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        Map<String, Wire> wires = new TreeMap<>();
        for (String stream : jsm.getStreamNames()) {
            StreamInfo info = jsm.getStreamInfo(stream, StreamInfoOptions.filterSubjects(WireSubjects.SUBJECT_PREFIX + ">"));
            Map<String, Long> counts = new TreeMap<>();
            for (String s : info.getConfiguration().getSubjects()) {
                if (WireSubjects.wireOf(s) != null && !s.contains("*") && !s.contains(">")) {
                    counts.put(s, 0L);
                }
            }
            List<Subject> held = info.getStreamState().getSubjects();
            if (held != null) {
                held.forEach(s -> counts.put(s.getName(), s.getCount()));
            }
            if (counts.isEmpty()) {
                continue;
            }
            List<ConsumerInfo> consumers = jsm.getConsumers(stream);
            counts.forEach((subject, n) -> {
                String wire = WireSubjects.wireOf(subject);
                if (wire == null) {
                    return;
                }
                List<ConsumerInfo> reading = new ArrayList<>();
                for (ConsumerInfo ci : consumers) {
                    if (ci.getConsumerConfiguration().getDurable() != null
                            && subject.equals(ci.getConsumerConfiguration().getFilterSubject())) {
                        reading.add(ci);
                    }
                }
                wires.put(wire, new Wire(wire, stream, n, reading));
            });
        }
        return wires;
    }
}
