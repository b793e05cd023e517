package io.fluxrig.gear.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.fluxrig.msg.json.FluxMsgJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads configuration documents (mapping files, JSON or YAML) into plain values: integers →
 * {@code Long} (beyond 64 bits → {@code BigDecimal} of scale 0), other numbers →
 * {@code BigDecimal} with the exact scale written, strings, booleans, null, objects →
 * {@code Map} (document order), arrays → {@code List}. No {@code $} rules: these are not message
 * data. Message data in JSON is gear.api's {@code FluxMsgJson.readValue}/{@code writeValue}
 * (the envelope's JSON form, with its limits), which the gears use.
 *
 * <p>Immutable and thread-safe: share one instance. Jackson streaming only (jackson-core).
 */
public final class JsonValues {
    /** Deepest nesting accepted when reading (objects and arrays), as the envelope's data limit. */
    public static final int MAX_DEPTH = 32;

    private final JsonFactory factory;

    private JsonValues(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * @param factory a configured factory (JSON or YAML) to read with
     * @return a reader for configuration documents
     */
    public static JsonValues plain(JsonFactory factory) {
        return new JsonValues(factory);
    }

    /**
     * Applies the limits every reader here uses: strict duplicate detection, nesting, and the
     * envelope's number length ({@link FluxMsgJson#MAX_NUMBER_LENGTH}).
     *
     * @param <F> factory type
     * @param <B> builder type
     * @param b a factory builder
     * @return the same builder
     */
    public static <F extends JsonFactory, B extends com.fasterxml.jackson.core.TSFBuilder<F, B>> B configure(B b) {
        return b.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(FluxMsgJson.MAX_NUMBER_LENGTH).maxNestingDepth(MAX_DEPTH).build());
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
                    out.put(p.currentName(), value(p, p.nextToken()));
                }
                return out;
            }
            default:
                throw failure(p, "unexpected " + t);
        }
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
}
