package io.fluxrig.cli.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Console;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.CborException;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.msg.json.FluxMsgJson;
import io.fluxrig.nats.trust.WireSubjects;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tail WIRE}: prints the messages on a wire as JSON lines, sensitive data masked
 * ({@link io.fluxrig.msg.SensitiveData}). It reads through an <em>ordered ephemeral</em> consumer (no acks,
 * removed by the server when the command ends), so it never takes a message away from the
 * rack's durable consumers and never acknowledges anything on their behalf.
 */
@Command(name = "tail", description = {"print the messages on a wire as JSON lines (sensitive data masked)",
        "Prints each message on wire WIRE (subject fluxrig.wire.WIRE) as one JSON envelope line, with meta wire.name "
                + "and wire.seq (the stream sequence) added, and for dead letters (WIRE.dlq) meta wire.dlq.reason: why "
                + "the rack gave up on it. Values of data keys named like pan/2 show the first 6 and last 4 digits; "
                + "track1/track2/35/45, pin_block/52, cvv show ****; raw is dropped. A payload that is not a fluxMsg "
                + "prints {\"wire.seq\":N,\"error\":\"...\"}.",
        "Reads through an ordered ephemeral consumer: it never acks and takes nothing away from the racks' durable "
                + "consumers. Without --from-start it waits for the next new message, and says so on stderr."})
public final class TailCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(500);
    private final FluxMsgCbor cbor = FluxMsgCbor.standard();
    private final FluxMsgJson json = FluxMsgJson.create();
    private final JsonFactory jsonFactory = new JsonFactory();
    private final Console console;

    @Parameters(paramLabel = "WIRE", description = "the wire, e.g. orders, or orders.dlq for its dead letters")
    String wire;
    @Option(names = "--from-start", description = "begin with the oldest message the stream holds (default: the next new one)")
    boolean fromStart;
    @Option(names = "--count", paramLabel = "N", description = "stop after N messages (default: run until Ctrl-C)")
    Long count;
    @Mixin
    WireCli.ServerOption server;
    @Spec
    CommandSpec spec;

    TailCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count " + count + " must be a positive whole number");
        }
        WireCli.checkWire(spec, "WIRE", wire);
        try (Connection c = WireCli.connect(server)) {
            return tail(c, wire, fromStart, count == null ? -1 : count, console);
        } catch (JetStreamApiException e) {
            console.err().println("fluxrig tail: JetStream refused: " + e.getErrorDescription());
            return Exit.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Exit.OK;
        }
    }

    private int tail(Connection c, String wire, boolean fromStart, long count, Console console)
            throws IOException, JetStreamApiException, InterruptedException {
        String stream = WireCli.streamOf(c.jetStreamManagement(), wire);
        if (stream == null) {
            console.err().println("fluxrig tail: no stream holds wire " + wire + " (subject " + WireSubjects.subject(wire) + ")");
            return Exit.FAILED;
        }
        ConsumerConfiguration cc = ConsumerConfiguration.builder()
                .deliverPolicy(fromStart ? DeliverPolicy.All : DeliverPolicy.New).build();
        JetStreamSubscription sub = c.jetStream().subscribe(WireSubjects.subject(wire),
                PushSubscribeOptions.builder().stream(stream).ordered(true).configuration(cc).build());
        console.err().println("fluxrig tail: wire " + wire + " (stream " + stream + "), "
                + (fromStart ? "from the oldest message" : "from the next message: waiting for new messages"
                        + " (--from-start shows the ones the stream already holds)")
                + (count > 0 ? ", " + count + " messages" : "; Ctrl-C stops"));
        try {
            long printed = 0;
            boolean idle = false;
            while (count < 0 || printed < count) {
                Message m = sub.nextMessage(POLL);
                if (m == null || !m.isJetStream()) {
                    if (m == null && fromStart && !idle) {
                        console.err().println("fluxrig tail: " + (printed == 0 ? "the stream holds no message on " + wire
                                : "that was every message held") + "; waiting for new messages");
                        idle = true;
                    }
                    continue;
                }
                idle = false;
                console.out().println(line(wire, m));
                console.out().flush();
                printed++;
            }
            return Exit.OK;
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
        String reason = m.getHeaders() == null ? null : m.getHeaders().getFirst(WireSubjects.DLQ_REASON);
        if (reason != null) {
            b.meta("wire.dlq.reason", io.fluxrig.msg.SensitiveData.maskText(reason));
        }
        return json.write(b.build());
    }
}
