package io.fluxrig.msg.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Writes the JSON form of a message to a Jackson generator. Stateless; thread-safe. */
final class JsonEnvelopeWriter {
    private JsonEnvelopeWriter() {
    }

    static void write(JsonGenerator g, FluxMsg m) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", m.id().toString());
        if (m.ref() != null) {
            g.writeStringField("ref", m.ref().toString());
        }
        if (m.trace() != null) {
            g.writeStringField("trace", m.trace());
        }
        if (m.src() != null) {
            g.writeStringField("src", m.src());
        }
        if (!m.meta().isEmpty()) {
            g.writeObjectFieldStart("meta");
            for (Map.Entry<String, String> e : m.meta().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        if (!m.data().isEmpty()) {
            g.writeFieldName("data");
            writeValue(g, m.data());
        }
        if (m.raw() != null) {
            g.writeFieldName("raw");
            writeBytes(g, m.raw());
        }
        if (!m.path().isEmpty()) {
            g.writeArrayFieldStart("path");
            for (Hop h : m.path()) {
                g.writeStartObject();
                g.writeStringField("rack", h.rack());
                g.writeStringField("gear", h.gear());
                g.writeNumberField("ts", h.ts());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeNumberField("ts", m.ts());
        g.writeEndObject();
    }

    /** Writes one data value (see the package documentation); an unsupported type throws IllegalArgumentException. */
    static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(decimalText(d));
        } else if (v instanceof Double d) {
            g.writeStartObject();
            g.writeFieldName("$double");
            if (Double.isFinite(d)) {
                g.writeNumber(d.doubleValue());
            } else {
                g.writeString(d.toString());
            }
            g.writeEndObject();
        } else if (v instanceof Bytes b) {
            writeBytes(g, b);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = (String) e.getKey();
                g.writeFieldName(key.startsWith("$") ? "$" + key : key);
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object item : l) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("unsupported data value type " + v.getClass().getName());
        }
    }

    /**
     * The exact text of a decimal that reads back as the same decimal (same scale): always with a
     * fraction or exponent, except integers beyond 64 bits, which read back as decimals anyway.
     */
    static String decimalText(BigDecimal d) {
        if (d.scale() == 0) {
            String digits = d.unscaledValue().toString();
            return d.unscaledValue().bitLength() <= 63 ? digits + "E0" : digits;
        }
        return d.toString();
    }

    private static void writeBytes(JsonGenerator g, Bytes b) throws IOException {
        g.writeStartObject();
        g.writeStringField("$bytes", Base64.getEncoder().encodeToString(b.toByteArray()));
        g.writeEndObject();
    }
}
