package io.fluxrig.msg.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads one JSON envelope from a Jackson parser, strictly: unknown keys, wrong types, unpaired
 * surrogates and nesting beyond the limit are refused with the JSON path of the fault. Jackson's
 * own syntax errors are translated by {@link FluxMsgJson}. Not thread-safe: one per read.
 */
final class JsonEnvelopeReader {
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_$-]+");

    private final JsonParser p;
    private final int maxDepth;

    JsonEnvelopeReader(JsonParser p, int maxDepth) {
        this.p = p;
        this.maxDepth = maxDepth;
    }

    FluxMsg read() throws IOException, JsonEnvelopeException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonEnvelopeException("$", "envelope must be a JSON object");
        }
        FluxMsg.Builder b = FluxMsg.builder();
        boolean hasId = false;
        boolean hasTs = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String path = "$." + key;
            JsonToken t = p.nextToken();
            boolean isNull = t == JsonToken.VALUE_NULL;
            switch (key) {
                case "id" -> {
                    b.id(uuid(path, t));
                    hasId = true;
                }
                case "ts" -> {
                    b.ts(int64(path, t));
                    hasTs = true;
                }
                case "ref" -> b.ref(isNull ? null : uuid(path, t));
                case "src" -> b.src(isNull ? null : text(path, t));
                case "trace" -> trace(b, path, isNull ? null : text(path, t));
                case "raw" -> b.raw(isNull ? null : rawBytes(path, t));
                case "meta" -> meta(b, path, t, isNull);
                case "data" -> {
                    if (!isNull) {
                        expect(path, t, JsonToken.START_OBJECT, "an object");
                        b.data(object(path, 2));
                    }
                }
                case "path" -> {
                    if (!isNull) {
                        b.path(hops(path, t));
                    }
                }
                default -> throw new JsonEnvelopeException(path, "unknown envelope key");
            }
        }
        if (!hasId) {
            throw new JsonEnvelopeException("$", "missing required key \"id\"");
        }
        if (!hasTs) {
            throw new JsonEnvelopeException("$", "missing required key \"ts\"");
        }
        if (p.nextToken() != null) {
            throw new JsonEnvelopeException("$", "trailing content after the envelope");
        }
        return b.build();
    }

    /** Reads one complete data value (any JSON value; nothing but whitespace may follow it). */
    Object document() throws IOException, JsonEnvelopeException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new JsonEnvelopeException("$", "empty document", 0);
        }
        Object v = value("$", first, 0);
        JsonToken extra = p.nextToken();
        if (extra != null) {
            throw new JsonEnvelopeException("$", "content after the end of the document: " + describe(extra));
        }
        return v;
    }

    private static void expect(String path, JsonToken t, JsonToken wanted, String what)
            throws JsonEnvelopeException {
        if (t != wanted) {
            throw new JsonEnvelopeException(path, "expected " + what + ", found " + describe(t));
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(t);
        };
    }

    private String text(String path, JsonToken t) throws IOException, JsonEnvelopeException {
        expect(path, t, JsonToken.VALUE_STRING, "a string");
        return checked(path, p.getText());
    }

    private static String checked(String path, String s) throws JsonEnvelopeException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new JsonEnvelopeException(path, "unpaired surrogate at char " + i
                        + " (text must be valid Unicode)");
            }
        }
        return s;
    }

    private UUID uuid(String path, JsonToken t) throws IOException, JsonEnvelopeException {
        String s = text(path, t);
        if (!UUID_TEXT.matcher(s).matches()) {
            throw new JsonEnvelopeException(path, "not a UUID (8-4-4-4-12 hex digits): \"" + s + "\"");
        }
        return UUID.fromString(s);
    }

    private long int64(String path, JsonToken t) throws IOException, JsonEnvelopeException {
        expect(path, t, JsonToken.VALUE_NUMBER_INT, "an integer");
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new JsonEnvelopeException(path, "integer outside the 64-bit signed range");
        }
        return p.getLongValue();
    }

    private static void trace(FluxMsg.Builder b, String path, String value) throws JsonEnvelopeException {
        try {
            b.trace(value);
        } catch (IllegalArgumentException e) {
            throw new JsonEnvelopeException(path, "not a W3C traceparent: \"" + value + "\"");
        }
    }

    private void meta(FluxMsg.Builder b, String path, JsonToken t, boolean isNull)
            throws IOException, JsonEnvelopeException {
        if (isNull) {
            return;
        }
        expect(path, t, JsonToken.START_OBJECT, "an object");
        Map<String, String> meta = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = checked(path, p.currentName());
            String keyPath = child(path, key);
            meta.put(key, text(keyPath, p.nextToken()));
        }
        b.meta(meta);
    }

    private Bytes rawBytes(String path, JsonToken t) throws IOException, JsonEnvelopeException {
        expect(path, t, JsonToken.START_OBJECT, "{\"$bytes\": base64}");
        if (p.nextToken() != JsonToken.FIELD_NAME || !"$bytes".equals(p.currentName())) {
            throw new JsonEnvelopeException(path, "expected {\"$bytes\": base64}");
        }
        return bytesBody(child(path, "$bytes"));
    }

    /** Reads the value of a {@code $bytes} key and the end of its object. */
    private Bytes bytesBody(String path) throws IOException, JsonEnvelopeException {
        String b64 = text(path, p.nextToken());
        Bytes out;
        try {
            out = Bytes.of(Base64.getDecoder().decode(b64));
        } catch (IllegalArgumentException e) {
            throw new JsonEnvelopeException(path, "invalid base64: " + e.getMessage());
        }
        endOfWrapper(path);
        return out;
    }

    private void endOfWrapper(String path) throws IOException, JsonEnvelopeException {
        if (p.nextToken() != JsonToken.END_OBJECT) {
            throw new JsonEnvelopeException(path, "a $bytes or $double object must have exactly one key");
        }
    }

    private Double doubleBody(String path) throws IOException, JsonEnvelopeException {
        JsonToken t = p.nextToken();
        double d;
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            d = Double.parseDouble(p.getText());
        } else if (t == JsonToken.VALUE_STRING && p.getText().matches("NaN|-?Infinity")) {
            d = Double.parseDouble(p.getText());
        } else {
            throw new JsonEnvelopeException(path, "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found "
                    + (t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : describe(t)));
        }
        endOfWrapper(path);
        return d;
    }

    private List<Hop> hops(String path, JsonToken t) throws IOException, JsonEnvelopeException {
        expect(path, t, JsonToken.START_ARRAY, "an array");
        List<Hop> hops = new ArrayList<>();
        for (JsonToken h = p.nextToken(); h != JsonToken.END_ARRAY; h = p.nextToken()) {
            String hopPath = path + "[" + hops.size() + "]";
            expect(hopPath, h, JsonToken.START_OBJECT, "an object {rack, gear, ts}");
            String rack = null;
            String gear = null;
            Long ts = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String keyPath = child(hopPath, key);
                switch (key) {
                    case "rack" -> rack = text(keyPath, p.nextToken());
                    case "gear" -> gear = text(keyPath, p.nextToken());
                    case "ts" -> ts = int64(keyPath, p.nextToken());
                    default -> throw new JsonEnvelopeException(keyPath, "unknown hop key");
                }
            }
            if (rack == null || gear == null || ts == null) {
                throw new JsonEnvelopeException(hopPath, "a hop needs \"rack\", \"gear\" and \"ts\"");
            }
            hops.add(new Hop(rack, gear, ts));
        }
        return hops;
    }

    /** Reads the rest of a data object (its START_OBJECT consumed) at nesting level depth. */
    private Map<String, Object> object(String path, int depth) throws IOException, JsonEnvelopeException {
        Map<String, Object> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String jsonKey = checked(path, p.currentName());
            String keyPath = child(path, jsonKey);
            out.put(dataKey(keyPath, jsonKey), value(keyPath, p.nextToken(), depth));
        }
        return out;
    }

    /** @return the data key for a JSON object key: {@code $$x} is {@code $x}; other {@code $} keys are reserved */
    private static String dataKey(String keyPath, String jsonKey) throws JsonEnvelopeException {
        if (jsonKey.startsWith("$$")) {
            return jsonKey.substring(1);
        }
        if (jsonKey.startsWith("$")) {
            throw new JsonEnvelopeException(keyPath, "reserved key: only a lone \"$bytes\" or \"$double\" "
                    + "may begin with $ (write \"$" + jsonKey + "\" for a data key \"" + jsonKey + "\")");
        }
        return jsonKey;
    }

    /** Reads one data value held by a container at nesting level depth. */
    private Object value(String path, JsonToken t, int depth) throws IOException, JsonEnvelopeException {
        switch (t) {
            case VALUE_NULL: return null;
            case VALUE_TRUE: return Boolean.TRUE;
            case VALUE_FALSE: return Boolean.FALSE;
            case VALUE_STRING: return checked(path, p.getText());
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new BigDecimal(p.getBigIntegerValue()) : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return decimal(path);
            case START_ARRAY: {
                enter(path, depth + 1);
                List<Object> items = new ArrayList<>();
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    items.add(value(path + "[" + items.size() + "]", i, depth + 1));
                }
                return items;
            }
            case START_OBJECT: {
                JsonToken first = p.nextToken();
                if (first == JsonToken.FIELD_NAME && "$bytes".equals(p.currentName())) {
                    return bytesBody(child(path, "$bytes"));
                }
                if (first == JsonToken.FIELD_NAME && "$double".equals(p.currentName())) {
                    return doubleBody(child(path, "$double"));
                }
                enter(path, depth + 1);
                if (first == JsonToken.END_OBJECT) {
                    return Map.of();
                }
                // Jackson has no push-back: handle the first key here, then read the rest.
                Map<String, Object> out = new LinkedHashMap<>();
                String jsonKey = checked(path, p.currentName());
                String keyPath = child(path, jsonKey);
                out.put(dataKey(keyPath, jsonKey), value(keyPath, p.nextToken(), depth + 1));
                out.putAll(object(path, depth + 1));
                return out;
            }
            default:
                throw new JsonEnvelopeException(path, "unexpected " + t);
        }
    }

    private BigDecimal decimal(String path) throws IOException, JsonEnvelopeException {
        try {
            return new BigDecimal(p.getText());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new JsonEnvelopeException(path, "decimal out of range: " + p.getText());
        }
    }

    private void enter(String path, int depth) throws JsonEnvelopeException {
        if (depth > maxDepth) {
            throw new JsonEnvelopeException(path, "nesting deeper than " + maxDepth + " levels");
        }
    }

    static String child(String path, String key) {
        return SIMPLE_KEY.matcher(key).matches() ? path + "." + key
                : path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }
}
