package io.fluxrig.msg.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.Bytes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A data value alone in the envelope's JSON form: what gears use to turn data into JSON and back. */
class DataValueJsonTest {
    private static final FluxMsgJson JSON = FluxMsgJson.create();

    private static Object read(String json) throws JsonEnvelopeException {
        return JSON.readValue(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String write(Object value) {
        return new String(JSON.writeValue(value), StandardCharsets.UTF_8);
    }

    @Test
    void anyDocumentReadsWithTheDataRules() throws Exception {
        Map<?, ?> m = (Map<?, ?>) read("{\"d\":12.50,\"i\":7,\"b\":{\"$bytes\":\"AQID\"},\"f\":{\"$double\":1.5},\"$$p\":1,\"l\":[null,true]}");
        assertEquals(new BigDecimal("12.50"), m.get("d"));
        assertEquals(7L, m.get("i"));
        assertArrayEquals(new byte[] {1, 2, 3}, ((Bytes) m.get("b")).toByteArray());
        assertEquals(1.5, m.get("f"));
        assertEquals(1L, m.get("$p"));
        assertEquals(List.of(List.of(), "x", 5L).get(0), ((List<?>) read("[[],\"x\",5]")).get(0));
        assertEquals("text", read("\"text\""));
        assertNull(read("null"));
    }

    @Test
    void writingKeepsTypesOrderAndReadsBackTheSame() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("z", 5L);
        v.put("a", new BigDecimal("5"));
        v.put("$k", Bytes.of(new byte[] {9}));
        v.put("n", 3);
        assertEquals("{\"z\":5,\"a\":5E0,\"$$k\":{\"$bytes\":\"CQ==\"},\"n\":3}", write(v));
        Map<?, ?> back = (Map<?, ?>) read(write(v));
        assertEquals(new BigDecimal("5"), back.get("a"));
        assertEquals(0, ((BigDecimal) back.get("a")).scale());
        assertEquals(3L, back.get("n"));
        assertThrows(IllegalArgumentException.class, () -> JSON.writeValue(Map.of("x", new Object())));
    }

    @Test
    void errorsNameThePathTheReasonAndTheOffset() {
        JsonEnvelopeException syntax = assertThrows(JsonEnvelopeException.class, () -> read("{\"a\":{\"b\":[1,2,}]}}"));
        assertEquals("$.a.b[2]", syntax.path());
        assertEquals(15, syntax.offset());
        assertTrue(syntax.getMessage().contains("(offset 15, line 1, column 16)"), syntax.getMessage());

        JsonEnvelopeException trailing = assertThrows(JsonEnvelopeException.class, () -> read("{\"a\":1} x"));
        assertEquals(8, trailing.offset(), trailing.getMessage());

        JsonEnvelopeException reserved = assertThrows(JsonEnvelopeException.class, () -> read("{\"x\":{\"$k\":1}}"));
        assertEquals("$.x.$k", reserved.path());
        assertTrue(reserved.reason().startsWith("reserved key"), reserved.getMessage());

        JsonEnvelopeException base64 = assertThrows(JsonEnvelopeException.class, () -> read("{\"x\":{\"$bytes\":\"%%\"}}"));
        assertTrue(base64.getMessage().startsWith("$.x.$bytes: invalid base64"), base64.getMessage());

        assertEquals("empty document", assertThrows(JsonEnvelopeException.class, () -> read("")).reason());
        assertTrue(assertThrows(JsonEnvelopeException.class, () -> read("{\"a\":1,\"a\":2}")).getMessage()
                .contains("Duplicate field 'a'"));
        String deep = "[".repeat(40) + "]".repeat(40);
        assertTrue(assertThrows(JsonEnvelopeException.class, () -> read(deep)).reason().startsWith("nesting deeper than 32"));
        String longNumber = "1".repeat(FluxMsgJson.MAX_NUMBER_LENGTH + 1) + ".5";
        assertThrows(JsonEnvelopeException.class, () -> read(longNumber));
    }
}
