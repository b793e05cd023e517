package io.fluxrig.gear.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.fluxrig.msg.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text ⇄ fluxMsg data values, with the conventions of the envelope's JSON form
 * ({@code gear.api/README.md}): integers → {@code Long} (beyond 64 bits → {@code BigDecimal} of
 * scale 0), other numbers → {@code BigDecimal} with the exact scale written, strings, booleans,
 * null, objects → {@code Map} (document order), arrays → {@code List}; bytes ⇄
 * {@code {"$bytes":"<base64>"}}; {@code Double} ⇄ {@code {"$double":1.5}}; a data key beginning
 * with {@code $} is written with one more {@code $} ({@code "$$price"}); any other object key
 * beginning with {@code $} is refused as reserved. With {@code wrappers=false} (mapping files)
 * none of the {@code $} rules apply.
 *
 * <p>Immutable and thread-safe: share one instance. Jackson streaming only (jackson-core).
 */
public final class JsonValues {
    /** Deepest nesting accepted when reading (objects and arrays), as the envelope's data limit. */
    public static final int MAX_DEPTH = 32;
    /** Longest number accepted, in characters (bounds the cost of parsing a decimal). */
    public static final int MAX_NUMBER_LENGTH = 1_000;

    private static final JsonFactory JSON = configure(new com.fasterxml.jackson.core.JsonFactoryBuilder()).build();

    private final JsonFactory factory;
    private final boolean wrappers;

    private JsonValues(JsonFactory factory, boolean wrappers) {
        this.factory = factory;
        this.wrappers = wrappers;
    }

    /** @return the data form: {@code $bytes}/{@code $double} wrappers and the {@code $} key rules */
    public static JsonValues data() {
        return new JsonValues(JSON, true);
    }

    /**
     * @param factory a configured factory (JSON or YAML) to read with
     * @return a reader without the {@code $} rules, for configuration documents
     */
    public static JsonValues plain(JsonFactory factory) {
        return new JsonValues(factory, false);
    }

    /**
     * Applies the limits every reader here uses: strict duplicate detection, nesting and number length.
     *
     * @param <F> factory type
     * @param <B> builder type
     * @param b a factory builder
     * @return the same builder
     */
    public static <F extends JsonFactory, B extends com.fasterxml.jackson.core.TSFBuilder<F, B>> B configure(B b) {
        return b.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(MAX_NUMBER_LENGTH).maxNestingDepth(MAX_DEPTH).build());
    }

    /**
     * Reads one complete document (any JSON value; nothing but whitespace may follow it).
     *
     * @param json the document bytes (UTF-8, or any encoding Jackson detects)
     * @return the value
     * @throws JsonFailure naming the JSON Pointer, offset and reason
     */
    public Object read(byte[] json) throws JsonFailure {
        try (JsonParser p = factory.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new JsonFailure("", 0, "", "empty document");
            }
            Object v = value(p, first);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw failure(p, "content after the end of the document: " + extra);
            }
            return v;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String pointer = e.getProcessor() instanceof JsonParser jp ? pointer(jp) : "";
            throw new JsonFailure(pointer, offset(at), at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr(),
                    e.getOriginalMessage());
        } catch (IOException e) {
            throw new JsonFailure("", -1, "", "cannot read: " + e);
        }
    }

    private Object value(JsonParser p, JsonToken t) throws IOException, JsonFailure {
        switch (t) {
            case VALUE_NULL: return null;
            case VALUE_TRUE: return Boolean.TRUE;
            case VALUE_FALSE: return Boolean.FALSE;
            case VALUE_STRING: return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new BigDecimal(p.getBigIntegerValue()) : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                try {
                    return new BigDecimal(p.getText());
                } catch (NumberFormatException e) {
                    throw failure(p, "decimal out of range: " + p.getText());
                }
            case START_ARRAY: {
                List<Object> items = new ArrayList<>();
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    items.add(value(p, i));
                }
                return items;
            }
            case START_OBJECT: {
                Map<String, Object> out = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String key = p.currentName();
                    if (wrappers && out.isEmpty() && ("$bytes".equals(key) || "$double".equals(key))) {
                        return wrapper(p, key);
                    }
                    out.put(wrappers ? dataKey(p, key) : key, value(p, p.nextToken()));
                }
                return out;
            }
            default:
                throw failure(p, "unexpected " + t);
        }
    }

    private static String dataKey(JsonParser p, String key) throws JsonFailure {
        if (key.startsWith("$$")) {
            return key.substring(1);
        }
        if (key.startsWith("$")) {
            throw failure(p, "reserved key \"" + key + "\": only a lone \"$bytes\" or \"$double\" may begin with $"
                    + " (write \"$" + key + "\" for a data key \"" + key + "\")");
        }
        return key;
    }

    private static Object wrapper(JsonParser p, String key) throws IOException, JsonFailure {
        JsonToken t = p.nextToken();
        Object v;
        if ("$bytes".equals(key)) {
            if (t != JsonToken.VALUE_STRING) {
                throw failure(p, "$bytes needs a base64 string, found " + t);
            }
            try {
                v = Bytes.of(Base64.getDecoder().decode(p.getText()));
            } catch (IllegalArgumentException e) {
                throw failure(p, "invalid base64: " + e.getMessage());
            }
        } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                || (t == JsonToken.VALUE_STRING && p.getText().matches("NaN|-?Infinity"))) {
            v = Double.parseDouble(p.getText());
        } else {
            throw failure(p, "$double needs a number, \"NaN\", \"Infinity\" or \"-Infinity\", found " + t);
        }
        if (p.nextToken() != JsonToken.END_OBJECT) {
            throw failure(p, "a " + key + " object must have exactly one key");
        }
        return v;
    }

    private static JsonFailure failure(JsonParser p, String reason) {
        JsonLocation at = p.currentTokenLocation();
        return new JsonFailure(pointer(p), offset(at), "line " + at.getLineNr() + ", column " + at.getColumnNr(), reason);
    }

    private static String pointer(JsonParser p) {
        return p.getParsingContext() == null ? "" : p.getParsingContext().pathAsPointer().toString();
    }

    private static long offset(JsonLocation at) {
        if (at == null) {
            return -1;
        }
        return at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
    }

    /**
     * Writes a value as compact JSON (UTF-8), maps in their iteration order.
     *
     * @param value a data value (see the class description)
     * @return the JSON bytes
     * @throws IllegalArgumentException when a value is not a data value type
     */
    public byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    private void write(JsonGenerator g, Object v) throws IOException {
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
            g.writeStartObject();
            g.writeStringField("$bytes", Base64.getEncoder().encodeToString(b.toByteArray()));
            g.writeEndObject();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = (String) e.getKey();
                g.writeFieldName(wrappers && key.startsWith("$") ? "$" + key : key);
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object item : l) {
                write(g, item);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a data value: " + v.getClass().getName());
        }
    }

    /**
     * @param d a decimal
     * @return text that reads back as the same decimal with the same scale (as the envelope form):
     *     a fraction or exponent is always present, except beyond 64 bits where it reads back as a
     *     decimal anyway; so {@code 5} of scale 0 is {@code 5E0}
     */
    public static String decimalText(BigDecimal d) {
        if (d.scale() == 0) {
            String digits = d.unscaledValue().toString();
            return d.unscaledValue().bitLength() <= 63 ? digits + "E0" : digits;
        }
        return d.toString();
    }
}
