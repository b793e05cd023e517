package io.fluxrig.iso8583.gear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.RecordingContext;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gear's message handling, with a context that records what is emitted. */
class CodecGearTest {
    private static final byte[] WIRE = ("0200" + "7020000000800000" + "164111111111111111" + "000000" + "000000001000" + "000001"
            + "TERM0001").getBytes(StandardCharsets.US_ASCII);

    private record Config(String dialect, String direction, boolean validate, boolean luhn, String spec_file) implements CodecConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return CodecConfig.class;
        }
    }

    @Test
    void decodeKeepsMetaAndEncodeRestoresTheBytes() throws Exception {
        CodecGear decoder = new CodecGear(new Config("iso87ascii", "decode", true, true, ""));
        RecordingContext rec = new RecordingContext("codec").beforeEmit((port, m) -> assertEquals("out", port));
        FluxMsg in = FluxMsg.builder().raw(WIRE).meta("conn.id", "c-17").build();
        decoder.onMessage("in", in, rec);
        FluxMsg decoded = rec.emitted("out").get(0);
        assertEquals(in.id(), decoded.ref());
        assertEquals("c-17", decoded.meta("conn.id"));
        assertEquals("iso87ascii", decoded.meta("iso.dialect"));
        assertEquals("0200", decoded.meta("iso.mti"));
        assertEquals("0200", decoded.getString("mti"));
        assertEquals("4111111111111111", decoded.getString("2"));
        assertEquals("4111111111111111", decoded.getString("pan"));
        assertEquals("000000001000", decoded.getString("amount"));
        assertEquals("TERM0001", decoded.getString("terminal_id"));

        CodecGear encoder = new CodecGear(new Config("iso87ascii", "encode", false, false, ""));
        FluxMsg changed = decoded.toBuilder().raw((byte[]) null).data("response_code", "00").data("mti", "0210").build();
        encoder.onMessage("in", changed, rec);
        FluxMsg encoded = rec.emitted("out").get(1);
        assertEquals("c-17", encoded.meta("conn.id"));
        assertEquals("0210", encoded.meta("iso.mti"));
        String text = new String(encoded.raw().toByteArray(), StandardCharsets.US_ASCII);
        assertEquals("0210" + "7020000002800000" + "164111111111111111" + "000000" + "000000001000" + "000001" + "00" + "TERM0001", text);
    }

    @Test
    void rejectionsNameFieldOffsetAndReason() {
        CodecGear decoder = new CodecGear(new Config("iso87ascii", "decode", false, false, ""));
        byte[] cut = java.util.Arrays.copyOf(WIRE, 30);
        GearRejection r = assertThrows(GearRejection.class, () -> decoder.onMessage("in", FluxMsg.builder().raw(cut).build(), new RecordingContext("codec")));
        assertEquals("iso8583 decode iso87ascii: field 2: length 16 needs 16 bytes but only 8 remain at offset 22", r.getMessage());
        GearRejection none = assertThrows(GearRejection.class, () -> decoder.onMessage("in", FluxMsg.builder().build(), new RecordingContext("codec")));
        assertEquals("iso8583 decode: no bytes in raw or data 'bytes'", none.getMessage());

        CodecGear validating = new CodecGear(new Config("iso87ascii", "decode", true, true, ""));
        byte[] badLuhn = new String(WIRE, StandardCharsets.US_ASCII).replace("4111111111111111", "4111111111111112").getBytes(StandardCharsets.US_ASCII);
        GearRejection luhn = assertThrows(GearRejection.class, () -> validating.onMessage("in", FluxMsg.builder().raw(badLuhn).build(), new RecordingContext("codec")));
        assertEquals("iso8583 validation iso87ascii 0200: field 2: PAN fails the Luhn check", luhn.getMessage());

        CodecGear encoder = new CodecGear(new Config("iso87ascii", "encode", false, false, ""));
        FluxMsg disagree = FluxMsg.builder().data("mti", "0200").data("4", "000000001000").data("amount", "000000002000").build();
        GearRejection d = assertThrows(GearRejection.class, () -> encoder.onMessage("in", disagree, new RecordingContext("codec")));
        assertEquals("iso8583 encode iso87ascii: field 4: data '4' and its alias 'amount' differ", d.getMessage());
    }

    @Test
    void badConfigurationFailsActivationWithAClearMessage() {
        IllegalArgumentException dir = assertThrows(IllegalArgumentException.class, () -> new CodecGear(new Config("iso87ascii", "both", false, false, "")));
        assertEquals("iso8583.codec config direction: 'both' is not decode or encode", dir.getMessage());
        IllegalArgumentException dialect = assertThrows(IllegalArgumentException.class, () -> new CodecGear(new Config("x", "decode", false, false, "")));
        assertEquals("unknown dialect 'x' (built in: iso87ascii, iso87binary, iso93ascii)", dialect.getMessage());
    }

    @Test
    void rawBytesSurviveDecodeUnchanged() throws Exception {
        CodecGear decoder = new CodecGear(new Config("iso87ascii", "decode", false, false, ""));
        RecordingContext rec = new RecordingContext("codec").beforeEmit((port, m) -> assertEquals("out", port));
        decoder.onMessage("in", FluxMsg.builder().data("bytes", WIRE).build(), rec);
        assertArrayEquals(WIRE, rec.emitted("out").get(0).raw().toByteArray());
    }
}
