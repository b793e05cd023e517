package io.fluxrig.iso8583.gear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.RecordingContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** iso8583.client against iso8583.server + codec + responder over loopback. */
class ClientGearTest {
    private static FluxMsg request(String stan, String amount) {
        return FluxMsg.builder().meta("iso.conn", "acq/1").data("mti", "0200").data("2", "4111111111111111").data("3", "000000")
                .data("4", amount).data("7", "1127013000").data("11", stan).data("37", "000000" + stan).data("41", "TERM0001")
                .data("49", "978").build();
    }

    @Test
    void matchesResponsesTimesOutAndReconnectsAfterTheServerRestarts() throws Exception {
        IssuerChain issuer = new IssuerChain("iso87ascii", Map.of(), Map.of("decline_amount_over", 50000L));
        int port = issuer.port();
        ClientGear client = new ClientGear(Configs.of(ClientConfig.class, Map.of("port", port, "response_timeout_ms", 1000,
                "reconnect_min_ms", 20, "reconnect_max_ms", 200, "echo_interval_ms", 100)));
        RecordingContext ctx = new RecordingContext("acq");
        client.open(ctx);
        try {
            Await.until("connected", () -> client.counters().connected());
            FluxMsg approve = request("000001", "000000001000");
            FluxMsg decline = request("000002", "000000090000");
            client.onMessage("in", approve, ctx);
            client.onMessage("in", decline, ctx);
            FluxMsg r1 = ctx.take("out");
            FluxMsg r2 = ctx.take("out");
            FluxMsg forApprove = r1.ref().equals(approve.id()) ? r1 : r2;
            FluxMsg forDecline = r1 == forApprove ? r2 : r1;
            assertEquals(approve.id(), forApprove.ref());
            assertEquals(decline.id(), forDecline.ref());
            assertEquals("0210", forApprove.getString("mti"));
            assertEquals("00", forApprove.getString("39"));
            assertEquals("000001", forApprove.getString("11"));
            assertEquals("51", forDecline.getString("39"));
            assertEquals("acq/1", forApprove.meta("iso.conn"), "request meta kept on the response");
            assertTrue(forApprove.raw().length() > 20, "response bytes in raw");
            Await.until("echoes answered", () -> client.counters().echoes() >= 2);

            GearRejection dup = assertThrows(GearRejection.class, () -> {
                // The issuer answers at once, so hold it: a request the responder rejects (MTI 0300) never gets an answer.
                FluxMsg silent = FluxMsg.builder().data("mti", "0300").data("11", "000009").data("41", "TERM0001").data("3", "000000").build();
                client.onMessage("in", silent, ctx);
                client.onMessage("in", silent, ctx);
            });
            assertEquals("iso8583.client acq: a request with key 03.00|11=000009|41=TERM0001 already awaits a response", dup.getMessage());
            FluxMsg timedOut = ctx.take("error");
            assertEquals("iso8583.client acq: no 0300 response from 127.0.0.1:" + port
                    + " within response.timeout.ms 1000 ms (key 03.00|11=000009|41=TERM0001)", timedOut.meta("error"));
            assertEquals("acq", timedOut.meta("error.gear"));
            assertEquals(1, client.counters().timedOut());

            issuer.close();
            Await.until("disconnect noticed", () -> !client.counters().connected());
            GearRejection down = assertThrows(GearRejection.class, () -> client.onMessage("in", request("000003", "000000000100"), ctx));
            assertTrue(down.getMessage().startsWith("iso8583.client acq: not sent to 127.0.0.1:" + port + ": not connected (reconnecting; last error: "),
                    down.getMessage());

            IssuerChain restarted = new IssuerChain("iso87ascii", Map.of("port", port), Map.of());
            try {
                Await.until("reconnected", () -> client.counters().connected());
                FluxMsg after = request("000004", "000000000100");
                client.onMessage("in", after, ctx);
                FluxMsg r = ctx.take("out");
                assertEquals(after.id(), r.ref());
                assertEquals("00", r.getString("39"));
                assertTrue(client.counters().connects() >= 2);
            } finally {
                restarted.close();
            }
        } finally {
            client.close();
            issuer.close();
        }
    }

    @Test
    void badConfigurationNamesTheAttribute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientGear(Configs.of(ClientConfig.class, Map.of("match_fields", new int[0]))));
        assertEquals("iso8583.client config match.fields: at least one field is needed", e.getMessage());
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class,
                () -> new ClientGear(Configs.of(ClientConfig.class, Map.of("header", "6000zz"))));
        assertTrue(h.getMessage().startsWith("iso8583.client config header: not hex"), h.getMessage());
    }
}
