package io.fluxrig.cli.wire;

import io.fluxrig.cli.Exit;
import io.fluxrig.msg.cbor.CborException;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.cli.Console;
import io.fluxrig.nats.trust.WireSubjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wire replay WIRE.dlq}: sends dead letters back to the wire they came from (their
 * {@code Fluxrig-Dlq-Wire} header, or {@code --to}). Each is published with its original payload
 * and headers minus the {@code Fluxrig-Dlq-*} and {@code Nats-*} ones (the stored message still
 * carries the {@code Nats-Expected-Stream} of its dead-letter publish), under a fresh {@code Nats-Msg-Id}
 * {@code replay/<dlq stream>/<dlq seq>} (the original id is still in the target stream's dedupe
 * window, which would swallow it), and is deleted from the dead-letter stream only after
 * JetStream acknowledged the republish. A crash in between leaves the dead letter in place and a
 * second replay is deduplicated. Only the dead letters present when the command starts are
 * replayed, so a message that fails again is not looped.
 */
@Command(name = "replay", description = {"republish dead letters (WIRE.dlq) to their wire, then remove them",
        "Republishes every dead letter on WIRE.dlq (or those --seq and --reason select) to the wire named in its "
                + "Fluxrig-Dlq-Wire header (or to --to WIRE) with Nats-Msg-Id replay/<dlq stream>/<dlq seq>, waits for "
                + "JetStream's ack, then deletes it from the dead-letter stream. A dead letter that is not a fluxMsg "
                + "(it cannot succeed on the wire either) is kept unless --force. Prints one line per dead letter:",
        "  replayed <dlq wire> seq N -> <wire> (stream S seq M; was: <reason>)",
        "  would replay <dlq wire> seq N -> <wire> (was: <reason>)        with --dry-run",
        "  kept <dlq wire> seq N: <why>",
        "and a summary 'replayed R, kept K' (', skipped S' when a filter left some out). Exit 1 when any was kept."})
public final class WireReplayCommand implements Callable<Integer> {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final Console console;
    private final FluxMsgCbor cbor = FluxMsgCbor.standard();

    @Parameters(paramLabel = "WIRE.dlq", description = "the dead-letter wire, e.g. orders.dlq")
    String dlqWire;
    @Option(names = "--to", paramLabel = "WIRE", description = "target wire for all of them (default: each one's Fluxrig-Dlq-Wire header)")
    String to;
    @Option(names = "--dry-run", description = "print what would be replayed; publish and delete nothing")
    boolean dryRun;
    @Option(names = "--seq", paramLabel = "N", split = ",", description = "only the dead letters with these stream sequences (wire.seq in 'tail')")
    Set<Long> seqs;
    @Option(names = "--reason", paramLabel = "TEXT", description = "only the dead letters whose reason contains TEXT")
    String reason;
    @Option(names = "--force", description = "also replay a dead letter whose payload is not a fluxMsg")
    boolean force;
    @Mixin
    WireCli.ServerOption server;
    @Spec
    CommandSpec spec;

    WireReplayCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        WireCli.checkWire(spec, "WIRE.dlq", dlqWire);
        if (to != null) {
            WireCli.checkWire(spec, "--to", to);
        }
        try (Connection c = WireCli.connect(server)) {
            return replay(c, dlqWire, to, console);
        } catch (JetStreamApiException e) {
            console.err().println("fluxrig wire replay: JetStream refused: " + e.getErrorDescription());
            return Exit.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Exit.FAILED;
        }
    }

    private int replay(Connection c, String dlqWire, String to, Console console)
            throws IOException, JetStreamApiException, InterruptedException {
        JetStreamManagement jsm = c.jetStreamManagement();
        String dlqStream = WireCli.streamOf(jsm, dlqWire);
        if (dlqStream == null) {
            console.err().println("fluxrig wire replay: no stream holds " + dlqWire + " (subject " + WireSubjects.subject(dlqWire) + ")");
            return Exit.FAILED;
        }
        long present = present(jsm, dlqStream, WireSubjects.subject(dlqWire));
        int replayed = 0;
        int kept = 0;
        int skipped = 0;
        if (present > 0) {
            JetStreamSubscription sub = c.jetStream().subscribe(WireSubjects.subject(dlqWire), PushSubscribeOptions.builder()
                    .stream(dlqStream).ordered(true)
                    .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()).build());
            try {
                for (long seen = 0; seen < present; seen++) {
                    Message m = sub.nextMessage(WAIT);
                    if (m == null) {
                        break; // fewer than counted: removed meanwhile (max age, another replay)
                    }
                    if (!selected(m)) {
                        skipped++;
                    } else if (one(c, jsm, dlqWire, dlqStream, to, m, console)) {
                        replayed++;
                    } else {
                        kept++;
                    }
                }
            } finally {
                sub.unsubscribe();
            }
        }
        console.out().println((dryRun ? "would replay " : "replayed ") + replayed + ", kept " + kept
                + (seqs != null || reason != null ? ", skipped " + skipped : ""));
        return kept == 0 ? Exit.OK : Exit.FAILED;
    }

    private static long present(JetStreamManagement jsm, String stream, String subject) throws IOException, JetStreamApiException {
        List<Subject> held = jsm.getStreamInfo(stream, StreamInfoOptions.filterSubjects(subject)).getStreamState().getSubjects();
        return held == null ? 0 : held.stream().filter(s -> s.getName().equals(subject)).mapToLong(Subject::getCount).sum();
    }

    private boolean selected(Message m) {
        if (seqs != null && !seqs.contains(m.metaData().streamSequence())) {
            return false;
        }
        String why = m.getHeaders() == null ? null : m.getHeaders().getFirst(WireSubjects.DLQ_REASON);
        return reason == null || why != null && why.contains(reason);
    }

    private boolean one(Connection c, JetStreamManagement jsm, String dlqWire, String dlqStream, String to, Message m,
            Console console) throws InterruptedException {
        long seq = m.metaData().streamSequence();
        Headers original = m.getHeaders();
        String target = to != null ? to : original == null ? null : original.getFirst(WireSubjects.DLQ_WIRE);
        if (target == null || !WireSubjects.validWire(target)) {
            console.out().println("kept " + dlqWire + " seq " + seq + ": no valid " + WireSubjects.DLQ_WIRE + " header; use --to WIRE");
            return false;
        }
        String reason = original == null ? null : original.getFirst(WireSubjects.DLQ_REASON);
        if (!force) {
            try {
                cbor.decode(m.getData());
            } catch (CborException e) {
                console.out().println("kept " + dlqWire + " seq " + seq + ": not a fluxMsg (" + e.getMessage()
                        + "), so it cannot succeed on " + target + " either; --force sends it anyway");
                return false;
            }
        }
        if (dryRun) {
            console.out().println("would replay " + dlqWire + " seq " + seq + " -> " + target
                    + (reason != null ? " (was: " + reason + ")" : ""));
            return true;
        }
        Headers h = new Headers();
        if (original != null) {
            original.forEach((k, v) -> {
                if (!k.startsWith(WireSubjects.DLQ_HEADER_PREFIX) && !k.regionMatches(true, 0, "Nats-", 0, 5)) {
                    h.put(k, v);
                }
            });
        }
        h.put(WireSubjects.MSG_ID, "replay/" + dlqStream + "/" + seq);
        PublishAck ack;
        try {
            ack = c.jetStream().publish(WireSubjects.subject(target), h, m.getData(),
                    PublishOptions.builder().streamTimeout(WAIT).build());
        } catch (IOException | JetStreamApiException e) {
            console.out().println("kept " + dlqWire + " seq " + seq + ": republish to " + target + " failed: " + e.getMessage());
            return false;
        }
        try {
            jsm.deleteMessage(dlqStream, seq);
        } catch (IOException | JetStreamApiException e) {
            console.out().println("kept " + dlqWire + " seq " + seq + ": republished to " + target + " (stream "
                    + ack.getStream() + " seq " + ack.getSeqno() + ") but not deleted: " + e.getMessage()
                    + "; a second replay is deduplicated");
            return false;
        }
        console.out().println("replayed " + dlqWire + " seq " + seq + " -> " + target + " (stream " + ack.getStream() + " seq "
                + ack.getSeqno() + (ack.isDuplicate() ? ", duplicate: already replayed" : "")
                + (reason != null ? "; was: " + reason : "") + ")");
        return true;
    }
}
