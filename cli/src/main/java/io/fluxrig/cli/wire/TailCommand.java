package io.fluxrig.cli.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.CborException;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.msg.json.FluxMsgJson;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code tail WIRE}: prints the messages on a wire as JSON lines, sensitive data masked
 * ({@link io.fluxrig.msg.SensitiveData}). It reads through an <em>ordered ephemeral</em> consumer (no acks,
 * removed by the server when the command ends), so it never takes a message away from the
 * rack's durable consumers and never acknowledges anything on their behalf.
 */
public final class TailCommand implements Command {
    private static final Duration POLL = Duration.ofMillis(500);
    private final FluxMsgCbor cbor = FluxMsgCbor.standard();
    private final FluxMsgJson json = FluxMsgJson.create();
    private final JsonFactory jsonFactory = new JsonFactory();

    @Override
    public String name() {
        return "tail";
    }

    @Override
    public String summary() {
        return "print the messages on a wire as JSON lines (sensitive data masked)";
    }

    @Override
    public String help() {
        return """
                usage: fluxrig tail WIRE [--from-start] [--count N] [--server URL]
                  Prints each message on wire WIRE (subject fluxrig.wire.WIRE) as one JSON envelope line,
                  with meta wire.name and wire.seq (the stream sequence) added, and for dead letters
                  (WIRE.dlq) meta wire.dlq.reason. Values of data keys named like pan/2 show the first 6
                  and last 4 digits; track1/track2/35/45, pin_block/52, cvv show ****; raw is dropped.
                  A payload that is not a fluxMsg prints {"wire.seq":N,"error":"..."}.
                  Reads through an ordered ephemeral consumer: it never acks and takes nothing away
                  from the racks' durable consumers.
                  --from-start  begin with the oldest message the stream holds (default: the next new one)
                  --count N     stop after N messages (default: run until Ctrl-C)
                  --server URL  NATS server (default nats://127.0.0.1:4222)""";
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        WireCli.Parsed p = WireCli.parse(args, Set.of("--server", "--count"), Set.of("--from-start"));
        if (p.error() == null && p.words().size() != 1) {
            p = new WireCli.Parsed(p.words(), p.options(), "give exactly one WIRE");
        }
        long count;
        try {
            count = Long.parseLong(p.option("--count", "-1"));
        } catch (NumberFormatException e) {
            count = 0;
        }
        if (p.error() == null && (count == 0 || count < -1)) {
            p = new WireCli.Parsed(p.words(), p.options(), "--count must be a positive whole number");
        }
        if (p.error() == null && !WireCli.validWire(p.words().get(0))) {
            p = new WireCli.Parsed(p.words(), p.options(), "wire name '" + p.words().get(0)
                    + "': use letters, digits, '-', '_' and single dots between them");
        }
        if (p.error() != null) {
            console.err().println("fluxrig tail: " + p.error() + " (fluxrig tail --help)");
            return USAGE;
        }
        String wire = p.words().get(0);
        try (Connection c = WireCli.connect(p.option("--server", WireCli.DEFAULT_SERVER))) {
            return tail(c, wire, p.flag("--from-start"), count, console);
        } catch (JetStreamApiException e) {
            console.err().println("fluxrig tail: JetStream refused: " + e.getErrorDescription());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OK;
        }
    }

    private int tail(Connection c, String wire, boolean fromStart, long count, Console console)
            throws IOException, JetStreamApiException, InterruptedException {
        String stream = WireCli.streamOf(c.jetStreamManagement(), wire);
        if (stream == null) {
            console.err().println("fluxrig tail: no stream holds wire " + wire + " (subject " + WireCli.subject(wire) + ")");
            return FAILED;
        }
        ConsumerConfiguration cc = ConsumerConfiguration.builder()
                .deliverPolicy(fromStart ? DeliverPolicy.All : DeliverPolicy.New).build();
        JetStreamSubscription sub = c.jetStream().subscribe(WireCli.subject(wire),
                PushSubscribeOptions.builder().stream(stream).ordered(true).configuration(cc).build());
        console.err().println("fluxrig tail: wire " + wire + " (stream " + stream + "), "
                + (fromStart ? "from the oldest message" : "from the next message")
                + (count > 0 ? ", " + count + " messages" : "; Ctrl-C stops"));
        try {
            long printed = 0;
            while (count < 0 || printed < count) {
                Message m = sub.nextMessage(POLL);
                if (m == null || !m.isJetStream()) {
                    continue;
                }
                console.out().println(line(wire, m));
                console.out().flush();
                printed++;
            }
            return OK;
        } finally {
            sub.unsubscribe();
        }
    }

    private String line(String wire, Message m) throws IOException {
        long seq = m.metaData().streamSequence();
        FluxMsg msg;
        try {
            msg = cbor.decode(m.getData());
        } catch (CborException e) {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = jsonFactory.createGenerator(w)) {
                g.writeStartObject();
                g.writeNumberField("wire.seq", seq);
                g.writeStringField("error", "not a fluxMsg: " + e.getMessage());
                g.writeEndObject();
            }
            return w.toString();
        }
        FluxMsg.Builder b = io.fluxrig.msg.SensitiveData.masked(msg).toBuilder().meta("wire.name", wire).meta("wire.seq", Long.toString(seq));
        String reason = m.getHeaders() == null ? null : m.getHeaders().getFirst(WireCli.DLQ_REASON);
        if (reason != null) {
            b.meta("wire.dlq.reason", io.fluxrig.msg.SensitiveData.maskText(reason));
        }
        return json.write(b.build());
    }
}
