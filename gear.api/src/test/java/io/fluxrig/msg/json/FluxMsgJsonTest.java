package io.fluxrig.msg.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.RandomMessages;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON form: value mapping, CBOR/JSON round trips, and errors naming the JSON path. */
class FluxMsgJsonTest {
    private static final FluxMsgJson JSON = FluxMsgJson.create();
    private static final FluxMsgCbor CBOR = FluxMsgCbor.standard();
    private static final String HEAD = "{\"id\":\"019d3f2a-6b1c-7e42-9a5d-3c8e1f0b7a64\",\"ts\":7";

    private static FluxMsg read(String data) throws JsonEnvelopeException {
        return JSON.read(HEAD + ",\"data\":" + data + "}");
    }

    @Test
    void dataValueMapping() throws Exception {
        FluxMsg m = read("{\"s\":\"t\",\"i\":-12,\"big\":123456789012345678901234567890,\"d\":12.50,"
                + "\"e\":1.5E+3,\"f\":{\"$double\":1.5},\"nan\":{\"$double\":\"NaN\"},\"inf\":{\"$double\":\"-Infinity\"},"
                + "\"b\":{\"$bytes\":\"AQID\"},\"t\":true,\"n\":null,\"l\":[1,{\"k\":false}],\"$$x\":1}");
        assertEquals("t", m.getString("s"));
        assertEquals(-12L, m.getLong("i"));
        assertEquals(new BigDecimal("123456789012345678901234567890"), m.get("big"));
        assertEquals(new BigDecimal("12.50"), m.get("d"));
        assertEquals(2, ((BigDecimal) m.get("d")).scale());
        assertEquals(new BigDecimal("1.5E+3"), m.get("e"));
        assertEquals(1.5, m.getDouble("f"));
        assertTrue(m.getDouble("nan").isNaN());
        assertEquals(Double.NEGATIVE_INFINITY, m.getDouble("inf"));
        assertEquals(Bytes.fromHex("010203"), m.getBytes("b"));
        assertEquals(Boolean.TRUE, m.getBoolean("t"));
        assertTrue(m.data().containsKey("n"));
        assertEquals(false, m.get("l.1.k"));
        assertEquals(1L, m.get("$x"));
    }

    @Test
    void writtenForm() throws Exception {
        FluxMsg m = FluxMsg.builder().id(java.util.UUID.fromString("019d3f2a-6b1c-7e42-9a5d-3c8e1f0b7a64")).ts(7)
                .data("dec", new BigDecimal("5")).data("dbl", 2.0).data("raw", new byte[] {1})
                .data("$k", "v").raw(new byte[] {(byte) 0xff}).build();
        assertEquals(HEAD.replace(",\"ts\":7", "") + ",\"data\":{\"$$k\":\"v\",\"dbl\":{\"$double\":2.0},"
                + "\"dec\":5E0,\"raw\":{\"$bytes\":\"AQ==\"}},\"raw\":{\"$bytes\":\"/w==\"},\"ts\":7}", JSON.write(m));
        assertEquals(m, JSON.read(JSON.write(m)));
    }

    @Test
    void cborJsonCborIsExactOverRandomEnvelopes() throws Exception {
        RandomMessages gen = new RandomMessages(8583L);
        FluxMsgJson pretty = JSON.withPrettyPrint(true);
        for (int i = 0; i < 3000; i++) {
            byte[] cbor = CBOR.encode(gen.next());
            String json = (i % 2 == 0 ? JSON : pretty).write(CBOR.decode(cbor));
            byte[] again = CBOR.encode(JSON.read(json));
            assertArrayEquals(cbor, again, "cbor -> json -> cbor #" + i + ": " + json);
            assertEquals(json, (i % 2 == 0 ? JSON : pretty).write(CBOR.decode(again)), "json -> cbor -> json stable #" + i);
        }
    }

    @Test
    void jsonCborJsonIsStable() throws Exception {
        String json = HEAD.replace("\"ts\":7", "\"trace\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\","
                + "\"meta\":{\"b\":\"2\",\"a\":\"1\"},\"data\":{\"amount\":125.50,\"n\":-0,\"big\":1e400},"
                + "\"path\":[{\"rack\":\"r\",\"gear\":\"g\",\"ts\":-3}],\"ts\":7") + "}";
        String once = JSON.write(CBOR.decode(CBOR.encode(JSON.read(json))));
        String twice = JSON.write(CBOR.decode(CBOR.encode(JSON.read(once))));
        assertEquals(once, twice);
        assertTrue(once.contains("\"amount\":125.50"), once);
        assertTrue(once.contains("\"meta\":{\"a\":\"1\",\"b\":\"2\"}"), once);
    }

    private static void reject(String json, String path, String reasonStart) {
        JsonEnvelopeException e = assertThrows(JsonEnvelopeException.class, () -> JSON.read(json), json);
        assertEquals(path, e.path(), e.getMessage());
        assertTrue(e.reason().startsWith(reasonStart), e.getMessage());
        assertEquals(path + ": " + e.reason(), e.getMessage());
    }

    @Test
    void errorsNameThePath() {
        reject("[]", "$", "envelope must be a JSON object");
        reject("{\"ts\":1}", "$", "missing required key \"id\"");
        reject(HEAD.replace(",\"ts\":7", "") + "}", "$", "missing required key \"ts\"");
        reject(HEAD + "} {}", "$", "trailing content after the envelope");
        reject(HEAD + ",\"extra\":1}", "$.extra", "unknown envelope key");
        reject(HEAD.replace("019d3f2a-", "019d3f2a") + "}", "$.id", "not a UUID");
        reject(HEAD.replace("\"ts\":7", "\"ts\":7.5") + "}", "$.ts", "expected an integer, found a decimal number");
        reject(HEAD.replace("\"ts\":7", "\"ts\":99999999999999999999") + "}", "$.ts", "integer outside the 64-bit signed range");
        reject(HEAD + ",\"trace\":\"nope\"}", "$.trace", "not a W3C traceparent");
        reject(HEAD + ",\"meta\":{\"a\":1}}", "$.meta.a", "expected a string, found an integer");
        reject(HEAD + ",\"raw\":\"AQ==\"}", "$.raw", "expected {\"$bytes\": base64}, found a string");
        reject(HEAD + ",\"path\":[{\"rack\":\"r\",\"ts\":1}]}", "$.path[0]", "a hop needs");
        reject(HEAD + ",\"path\":[{\"rack\":\"r\",\"gear\":\"g\",\"ts\":1,\"x\":2}]}", "$.path[0].x", "unknown hop key");
        reject(HEAD + ",\"data\":{\"card\":{\"$foo\":1}}}", "$.data.card.$foo", "reserved key");
        reject(HEAD + ",\"data\":{\"card\":{\"a\":1,\"$bytes\":\"AQ==\"}}}", "$.data.card.$bytes", "reserved key");
        reject(HEAD + ",\"data\":{\"b\":{\"$bytes\":\"A!\"}}}", "$.data.b.$bytes", "invalid base64");
        reject(HEAD + ",\"data\":{\"b\":{\"$bytes\":\"AQ==\",\"x\":1}}}", "$.data.b.$bytes", "a $bytes or $double object must have exactly one key");
        reject(HEAD + ",\"data\":{\"f\":{\"$double\":\"1.5\"}}}", "$.data.f.$double", "expected a number, \"NaN\"");
        reject(HEAD + ",\"data\":{\"l\":[1,\"\\ud800\"]}}", "$.data.l[1]", "unpaired surrogate");
        reject(HEAD + ",\"data\":{\"a b\":{\"x\":[1,}}}}", "$.data[\"a b\"].x[1]", "Unexpected character");
        reject(HEAD + ",\"data\":{\"a\":1,\"a\":2}}", "$.data.a", "Duplicate field 'a'");
        reject(HEAD + ",\"data\":{\"x\":" + "[".repeat(31) + "]".repeat(31) + "}}", "$.data.x" + "[0]".repeat(30),
                "nesting deeper than 32 levels");
        reject(HEAD + ",\"data\":{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}}", "$.data.x" + "[0]".repeat(30),
                "nesting deeper than 32 levels");
    }

    @Test
    void writerHandlesAllShapes() throws Exception {
        FluxMsg m = FluxMsg.builder().id(java.util.UUID.randomUUID()).ts(1)
                .data("m", Map.of("z", List.of(1L, 2.5, "x"))).build();
        FluxMsg back = JSON.read(JSON.withPrettyPrint(true).write(m));
        assertEquals(m, back);
        assertThrows(IllegalArgumentException.class, () -> JSON.withMaxDepth(2));
    }
}
