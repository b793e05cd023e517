package io.fluxrig.iso8583.gear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.RecordingContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** iso8583.client with field 2 as a match field: its key never shows the PAN in clear. */
class ClientMatchKeyMaskingTest {
    /** A Luhn-valid test PAN. */
    private static final String PAN = "4761739001010010";
    private static final String SHOWN = "476173******0010";

    @Test
    void theShownKeyMasksCardDataAndTheKeyItselfDoesNot() {
        IsoMessage iso = new IsoMessage("0200", Map.of(2, PAN, 11, "000123", 35, PAN + "=2512201"));
        assertEquals("02.00|2=" + PAN + "|11=000123", MatchKey.of(iso, new int[] {2, 11}));
        assertEquals("02.00|2=" + SHOWN + "|11=000123", MatchKey.shown(iso, new int[] {2, 11}));
        assertEquals("02.00|35=****|11=000123", MatchKey.shown(iso, new int[] {35, 11}));
    }

    @Test
    void rejectionAndTimeoutTextsShowTheKeyMasked() throws Exception {
        IssuerChain issuer = new IssuerChain("iso87ascii", Map.of(), Map.of());
        ClientGear client = new ClientGear(Configs.of(ClientConfig.class, Map.of("port", issuer.port(), "response_timeout_ms", 500,
                "match_fields", new int[] {2, 11})));
        RecordingContext ctx = new RecordingContext("acq");
        client.open(ctx);
        try {
            Await.until("connected", () -> client.counters().connected());
            // The responder answers no 0300, so the first request waits and the second collides with it.
            FluxMsg silent = FluxMsg.builder().data("mti", "0300").data("2", PAN).data("11", "000009").data("41", "TERM0001")
                    .data("3", "000000").build();
            client.onMessage("in", silent, ctx);
            GearRejection dup = assertThrows(GearRejection.class, () -> client.onMessage("in", silent, ctx));
            assertEquals("iso8583.client acq: a request with key 03.00|2=" + SHOWN + "|11=000009 already awaits a response",
                    dup.getMessage());
            String timedOut = ctx.take("error").meta("error");
            assertFalse(timedOut.contains(PAN), timedOut);
            assertEquals("iso8583.client acq: no 0300 response from 127.0.0.1:" + issuer.port()
                    + " within response.timeout.ms 500 ms (key 03.00|2=" + SHOWN + "|11=000009)", timedOut);
        } finally {
            client.close();
            issuer.close();
        }
    }
}
