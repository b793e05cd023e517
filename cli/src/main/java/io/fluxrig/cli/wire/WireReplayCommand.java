package io.fluxrig.cli.wire;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
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
public final class WireReplayCommand implements Command {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "wire replay";
    }

    @Override
    public String summary() {
        return "republish dead letters (WIRE.dlq) to their wire, then remove them";
    }

    @Override
    public String help() {
        return """
                usage: fluxrig wire replay WIRE.dlq [--to WIRE] [--server URL]
                  Republishes every dead letter on WIRE.dlq to the wire named in its Fluxrig-Dlq-Wire
                  header (or to --to WIRE) with Nats-Msg-Id replay/<dlq stream>/<dlq seq>, waits for
                  JetStream's ack, then deletes it from the dead-letter stream. Prints one line per
                  dead letter:
                    replayed <dlq wire> seq N -> <wire> (stream S seq M; was: <reason>)
                    kept <dlq wire> seq N: <why>
                  and a summary 'replayed R, kept K'. Exit 1 when any was kept.
                  --to WIRE     target wire for all of them
                  --server URL  NATS server (default nats://127.0.0.1:4222)""";
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        WireCli.Parsed p = WireCli.parse(args, Set.of("--server", "--to"), Set.of());
        String error = p.error();
        if (error == null && p.words().size() != 1) {
            error = "give exactly one dead-letter wire, e.g. orders.dlq";
        }
        if (error == null && !WireCli.validWire(p.words().get(0))) {
            error = "wire name '" + p.words().get(0) + "' is not valid";
        }
        if (error == null && p.flag("--to") && !WireCli.validWire(p.option("--to", ""))) {
            error = "--to '" + p.option("--to", "") + "' is not a valid wire name";
        }
        if (error != null) {
            console.err().println("fluxrig wire replay: " + error + " (fluxrig wire replay --help)");
            return USAGE;
        }
        try (Connection c = WireCli.connect(p.option("--server", WireCli.DEFAULT_SERVER))) {
            return replay(c, p.words().get(0), p.options().get("--to"), console);
        } catch (JetStreamApiException e) {
            console.err().println("fluxrig wire replay: JetStream refused: " + e.getErrorDescription());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private int replay(Connection c, String dlqWire, String to, Console console)
            throws IOException, JetStreamApiException, InterruptedException {
        JetStreamManagement jsm = c.jetStreamManagement();
        String dlqStream = WireCli.streamOf(jsm, dlqWire);
        if (dlqStream == null) {
            console.err().println("fluxrig wire replay: no stream holds " + dlqWire + " (subject " + WireCli.subject(dlqWire) + ")");
            return FAILED;
        }
        long present = present(jsm, dlqStream, WireCli.subject(dlqWire));
        int replayed = 0;
        int kept = 0;
        if (present > 0) {
            JetStreamSubscription sub = c.jetStream().subscribe(WireCli.subject(dlqWire), PushSubscribeOptions.builder()
                    .stream(dlqStream).ordered(true)
                    .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()).build());
            try {
                for (long seen = 0; seen < present; seen++) {
                    Message m = sub.nextMessage(WAIT);
                    if (m == null) {
                        break; // fewer than counted: removed meanwhile (max age, another replay)
                    }
                    if (one(c, jsm, dlqWire, dlqStream, to, m, console)) {
                        replayed++;
                    } else {
                        kept++;
                    }
                }
            } finally {
                sub.unsubscribe();
            }
        }
        console.out().println("replayed " + replayed + ", kept " + kept);
        return kept == 0 ? OK : FAILED;
    }

    private static long present(JetStreamManagement jsm, String stream, String subject) throws IOException, JetStreamApiException {
        List<Subject> held = jsm.getStreamInfo(stream, StreamInfoOptions.filterSubjects(subject)).getStreamState().getSubjects();
        return held == null ? 0 : held.stream().filter(s -> s.getName().equals(subject)).mapToLong(Subject::getCount).sum();
    }

    private static boolean one(Connection c, JetStreamManagement jsm, String dlqWire, String dlqStream, String to, Message m,
            Console console) throws InterruptedException {
        long seq = m.metaData().streamSequence();
        Headers original = m.getHeaders();
        String target = to != null ? to : original == null ? null : original.getFirst(WireCli.DLQ_WIRE);
        if (target == null || !WireCli.validWire(target)) {
            console.out().println("kept " + dlqWire + " seq " + seq + ": no valid " + WireCli.DLQ_WIRE + " header; use --to WIRE");
            return false;
        }
        Headers h = new Headers();
        if (original != null) {
            original.forEach((k, v) -> {
                if (!k.startsWith(WireCli.DLQ_HEADER_PREFIX) && !k.regionMatches(true, 0, "Nats-", 0, 5)) {
                    h.put(k, v);
                }
            });
        }
        h.put(WireCli.MSG_ID, "replay/" + dlqStream + "/" + seq);
        PublishAck ack;
        try {
            ack = c.jetStream().publish(WireCli.subject(target), h, m.getData(),
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
        String reason = original == null ? null : original.getFirst(WireCli.DLQ_REASON);
        console.out().println("replayed " + dlqWire + " seq " + seq + " -> " + target + " (stream " + ack.getStream() + " seq "
                + ack.getSeqno() + (ack.isDuplicate() ? ", duplicate: already replayed" : "")
                + (reason != null ? "; was: " + reason : "") + ")");
        return true;
    }
}
