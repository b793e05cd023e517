package io.fluxrig.cli.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.Main;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireSubscription;
import io.fluxrig.wire.jetstream.JetStreamWireTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code tail} against a real nats-server prints no card data in clear: not in ISO field 55's
 * EMV tags 5A and 57, not in meta, not in a dead letter's reason.
 */
class TailMaskingTest {
    /** A Luhn-valid test PAN, its track 2 and its track 2 equivalent (EMV tag 57). */
    private static final String PAN = "4761739001010010";
    private static final String TRACK2 = PAN + "=25122011758928889";
    private static final String TAG57 = PAN + "D25122011758928889";
    private static final String SHOWN = "476173******0010";

    /** @return whether wire {@code wire} holds {@code count} messages, as {@code wires} lists them */
    private static boolean holds(NatsServer server, String wire, String count) {
        return tail("wires", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString()).lines().map(l -> List.of(l.trim().split("\\s+")))
                .anyMatch(c -> c.size() > 2 && c.get(0).equals(wire) && c.get(2).equals(count));
    }

    private static String tail(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static FluxMsg authorisation() {
        List<Map<String, Object>> emv = List.of(
                Map.of("tag", "5A", "value", Bytes.fromHex(PAN)),
                Map.of("tag", "57", "value", Bytes.fromHex(TAG57)),
                Map.of("tag", "9F02", "value", Bytes.fromHex("000000001000")));
        return FluxMsg.builder().src("test").data("mti", "0200").data("2", PAN).data("35", TRACK2).data("55", emv).data("emv", emv)
                .data("4", "000000001000").meta("card.pan", PAN).meta("error", "issuer refused '" + PAN + "'")
                .meta("iso.mti", "0200").build();
    }

    @Test
    void tailMasksEmvTagsMetaAndDeadLetterReasons() throws Exception {
        try (NatsServer server = NatsServer.started()) {
            JetStreamWireTransport rack = new JetStreamWireTransport(TestJetStreamConfig.of(server.url(), server.creds(Role.RACK), server.caFile(), Map.of("connection_name", "rack-m",
                    "default_max_deliver", 1, "nak_delay_ms", 50L, "default_ack_wait_ms", 5000L)));
            try {
                Await.until("connected", () -> "CONNECTED".equals(rack.state()));
                rack.publish("cards", authorisation()).toCompletableFuture().get(10, TimeUnit.SECONDS);

                String line = tail("tail", "cards", "--from-start", "--count", "1", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString());
                assertFalse(line.contains(PAN), line);
                assertFalse(line.contains("25122011758928889"), line);
                assertTrue(line.contains("\"55\":[{\"tag\":\"5A\",\"value\":\"" + SHOWN + "\"},{\"tag\":\"57\",\"value\":\"****\"}"), line);
                assertTrue(line.contains("\"card.pan\":\"" + SHOWN + "\""), line);
                assertTrue(line.contains("\"error\":\"issuer refused '" + SHOWN + "'\""), line);
                assertTrue(line.contains("\"iso.mti\":\"0200\"") && line.contains("\"4\":\"000000001000\""), line);

                WireSubscription sub = rack.subscribe("cards", "rack-m.sink",
                        d -> d.nak(Duration.ofMillis(50), "json.map m: /pan (from data note): not a number: '" + PAN + "X'"));
                try {
                    Await.until("dead-lettered", () -> holds(server, "cards.dlq", "1"));
                    String dead = tail("tail", "cards.dlq", "--from-start", "--count", "1", "--server", server.url(), "--creds", server.creds(Role.READER).toString(), "--ca", server.caFile().toString());
                    assertFalse(dead.contains(PAN), dead);
                    assertTrue(dead.contains("\"wire.dlq.reason\":\"json.map m: /pan (from data note): not a number: '" + SHOWN + "X'\""),
                            dead);
                } finally {
                    sub.close();
                }
            } finally {
                rack.deactivate();
            }
        }
    }
}
