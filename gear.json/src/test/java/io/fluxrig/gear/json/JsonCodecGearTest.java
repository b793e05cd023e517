package io.fluxrig.gear.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.json.FluxMsgJson;
import io.fluxrig.testsupport.RecordingContext;
import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecGearTest {
    private static final FluxMsgJson JSON = FluxMsgJson.create();

    private record Config(String direction, String source, String target) implements CodecConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return CodecConfig.class;
        }
    }

    private static final String DOC = "{\"s\":\"text\",\"i\":42,\"neg\":-7,\"big\":123456789012345678901234567890,"
            + "\"d\":123.450,\"e\":1.5E+3,\"t\":true,\"f\":false,\"n\":null,\"obj\":{\"a\":[1,\"x\",{\"b\":0.10}]},"
            + "\"bytes\":{\"$bytes\":\"AQID\"},\"dbl\":{\"$double\":2.5},\"$$price\":\"1\"}";

    private static FluxMsg raw(String json) {
        return FluxMsg.builder().raw(json.getBytes(StandardCharsets.UTF_8)).meta("conn.id", "c-1").build();
    }

    private static FluxMsg decode(FluxMsg in) throws Exception {
        RecordingContext rec = new RecordingContext();
        new JsonCodecGear(new Config("decode", "", "")).onMessage("in", in, rec);
        return rec.next().msg();
    }

    @Test
    void decodePreservesTypes() throws Exception {
        FluxMsg in = raw(DOC);
        FluxMsg out = decode(in);
        assertEquals(in.id(), out.ref());
        assertEquals("c-1", out.meta("conn.id"));
        assertEquals("text", out.get("s"));
        assertEquals(42L, out.get("i"));
        assertEquals(-7L, out.get("neg"));
        assertEquals(new BigDecimal("123456789012345678901234567890"), out.get("big"));
        BigDecimal d = out.getDecimal("d");
        assertEquals(3, d.scale());
        assertEquals("123.450", d.toString());
        assertEquals(new BigDecimal("1.5E+3"), out.get("e"));
        assertEquals(Boolean.TRUE, out.get("t"));
        assertEquals(Boolean.FALSE, out.get("f"));
        assertTrue(out.data().containsKey("n"));
        assertNull(out.get("n"));
        assertEquals(1L, out.get("obj.a.0"));
        assertEquals("x", out.get("obj.a.1"));
        assertEquals(new BigDecimal("0.10"), out.get("obj.a.2.b"));
        assertEquals(Bytes.of(new byte[] {1, 2, 3}), out.get("bytes"));
        assertEquals(2.5, out.get("dbl"));
        assertEquals("1", out.get("$price"));
    }

    @Test
    void encodeThenDecodeIsTheSameData() throws Exception {
        FluxMsg decoded = decode(raw(DOC));
        RecordingContext rec = new RecordingContext();
        new JsonCodecGear(new Config("encode", "", "")).onMessage("in", decoded, rec);
        FluxMsg encoded = rec.next().msg();
        assertEquals(decoded.data(), encode0(encoded).data());
        String text = new String(encoded.raw().toByteArray(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"d\":123.450"), text);
        assertTrue(text.contains("\"bytes\":{\"$bytes\":\"AQID\"}"), text);
        assertTrue(text.contains("\"$$price\":\"1\""), text);
        assertTrue(text.contains("\"dbl\":{\"$double\":2.5}"), text);
    }

    private static FluxMsg encode0(FluxMsg encoded) throws Exception {
        return decode(FluxMsg.builder().raw(encoded.raw()).build());
    }

    @Test
    void scaleZeroDecimalRoundTripsAsDecimal() throws Exception {
        FluxMsg m = FluxMsg.builder().data("amount", new BigDecimal("5")).data("count", 5L).build();
        RecordingContext rec = new RecordingContext();
        new JsonCodecGear(new Config("encode", "", "")).onMessage("in", m, rec);
        FluxMsg back = encode0(rec.next().msg());
        assertEquals(new BigDecimal("5"), back.get("amount"));
        assertEquals(5L, back.get("count"));
    }

    @Test
    void dataKeysAsSourceAndTarget() throws Exception {
        FluxMsg in = FluxMsg.builder().data("body", "[1,2.0,\"x\"]").data("keep", "yes").build();
        RecordingContext rec = new RecordingContext();
        new JsonCodecGear(new Config("decode", "body", "parsed")).onMessage("in", in, rec);
        FluxMsg out = rec.next().msg();
        assertEquals(List.of(1L, new BigDecimal("2.0"), "x"), out.get("parsed"));
        assertEquals("yes", out.get("keep"));

        new JsonCodecGear(new Config("encode", "parsed", "json")).onMessage("in", out, rec);
        assertEquals("[1,2.0,\"x\"]", rec.next().msg().get("json"));
    }

    @Test
    void malformedJsonNamesPointerAndOffset() {
        GearRejection r = assertThrows(GearRejection.class, () -> decode(raw("{\"a\":{\"b\":[1,2,}]}}")));
        assertTrue(r.getMessage().contains("malformed JSON at $.a.b[2]: "), r.getMessage());
        assertTrue(r.getMessage().contains("offset 15"), r.getMessage());
        assertTrue(r.getMessage().contains("malformed JSON"), r.getMessage());

        r = assertThrows(GearRejection.class, () -> decode(raw("{\"a\":1} x")));
        assertTrue(r.getMessage().contains("offset 8"), r.getMessage());

        r = assertThrows(GearRejection.class, () -> decode(raw("{\"a\":1,\"a\":2}")));
        assertTrue(r.getMessage().contains("Duplicate field 'a'"), r.getMessage());

        r = assertThrows(GearRejection.class, () -> decode(raw("{\"x\":{\"$bytes\":\"%%\"}}")));
        assertTrue(r.getMessage().contains("$.x.$bytes: invalid base64"), r.getMessage());

        r = assertThrows(GearRejection.class, () -> decode(raw("{\"$ref\":1}")));
        assertTrue(r.getMessage().contains("at $.$ref: reserved key"), r.getMessage());

        r = assertThrows(GearRejection.class, () -> decode(raw("[1,2]")));
        assertTrue(r.getMessage().contains("not an object"), r.getMessage());

        r = assertThrows(GearRejection.class, () -> decode(raw("")));
        assertTrue(r.getMessage().contains("empty document"), r.getMessage());

        r = assertThrows(GearRejection.class, () -> decode(FluxMsg.builder().build()));
        assertTrue(r.getMessage().contains("no raw bytes"), r.getMessage());
    }

    @Test
    void tooDeepIsRefused() {
        String deep = "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}";
        GearRejection r = assertThrows(GearRejection.class, () -> decode(raw(deep)));
        assertTrue(r.getMessage().contains("nesting deeper than 32 levels"), r.getMessage());
    }

    @Test
    void badConfigIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new JsonCodecGear(new Config("sideways", "", "")));
        assertThrows(IllegalArgumentException.class, () -> new JsonCodecGear(new Config("encode", "raw", "")));
    }

    @Test
    void writerKeepsMapOrderAndUtf8() throws Exception {
        byte[] out = JSON.writeValue(Map.of("k", "é€"));
        assertArrayEquals("{\"k\":\"é€\"}".getBytes(StandardCharsets.UTF_8), out);
        assertTrue(Arrays.equals(out, JSON.writeValue(JSON.readValue(out))));
    }
}
