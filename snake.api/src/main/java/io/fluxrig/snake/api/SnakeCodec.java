package io.fluxrig.snake.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON codec of the contract's records (Jackson databind). Tolerant of fields it does not
 * know (a newer peer may add some), strict about types: a number where text is expected is
 * refused, not turned into text. A refusal names the field (its path) and the offset.
 *
 * <p>Thread-safe: the mapper is configured once and only read afterwards. {@link #newMapper()}
 * gives a peer its own mapper with the same settings for what it writes besides these records.
 */
public final class SnakeCodec {
    private static final SnakeCodec INSTANCE = new SnakeCodec();
    private final ObjectMapper mapper = newMapper();

    private SnakeCodec() {
    }

    /** @return the codec (stateless apart from its immutable configuration) */
    public static SnakeCodec json() {
        return INSTANCE;
    }

    /** @return a new mapper configured as this codec's: unknown fields ignored, no text coercion */
    public static ObjectMapper newMapper() {
        ObjectMapper m = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /** A body that is not the expected message; the message names the field and the reason. */
    public static final class DecodeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String field;

        DecodeException(String field, String reason) {
            super(reason);
            this.field = field;
        }

        /** @return the path of the field at fault, e.g. {@code inventory.bundles[0].id}, or empty for the body */
        public String field() {
            return field;
        }
    }

    /**
     * @param message a record of this package (or any value Jackson can write)
     * @return its JSON
     */
    public byte[] write(Object message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a contract record could not be written as JSON", e);
        }
    }

    /**
     * @param body JSON bytes
     * @param type the expected record
     * @param <T> the record
     * @return the message
     * @throws DecodeException when the body is not JSON, not an object, or a field has the wrong type
     */
    public <T> T read(byte[] body, Class<T> type) throws DecodeException {
        if (body == null || body.length == 0) {
            throw new DecodeException("", "empty body: a JSON object expected");
        }
        T t;
        try {
            t = mapper.readValue(body, type);
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) {
                throw new DecodeException("", "the body must be a JSON object");
            }
            throw new DecodeException(field, "field '" + field + "' " + expectation(e) + at(e));
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new DecodeException(field, (field.isEmpty() ? "" : "field '" + field + "': ") + e.getOriginalMessage() + at(e));
        } catch (JsonProcessingException e) {
            throw new DecodeException("", "malformed JSON body: " + e.getOriginalMessage() + at(e));
        } catch (IOException e) {
            throw new DecodeException("", "unreadable body: " + e.getMessage());
        }
        if (t == null) {
            throw new DecodeException("", "the body must be a JSON object");
        }
        return t;
    }

    /**
     * @param body the body of a refusal
     * @return its {@link ErrorReply#error()}, or {@code no reason given} when there is none
     */
    public String error(byte[] body) {
        try {
            ErrorReply e = read(body, ErrorReply.class);
            return e.error() == null ? "no reason given" : e.error();
        } catch (DecodeException e) {
            return "no reason given";
        }
    }

    /**
     * @param value a decoded field
     * @param field its name
     * @return the value
     * @throws DecodeException {@code missing field 'x'} when it is null
     */
    public static <V> V required(V value, String field) throws DecodeException {
        if (value == null) {
            throw new DecodeException(field, "missing field '" + field + "'");
        }
        return value;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expectation(MismatchedInputException e) {
        Class<?> t = e.getTargetType();
        if (t == null) {
            return "has the wrong type";
        }
        if (t == String.class) {
            return "must be a string";
        }
        if (t == long.class || t == int.class || t == Long.class || t == Integer.class) {
            return "must be a whole number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "must be true or false";
        }
        if (java.util.Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "must be an object";
        }
        if (java.util.Collection.class.isAssignableFrom(t)) {
            return "must be an array";
        }
        return "must be a " + t.getSimpleName();
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (at offset " + e.getLocation().getByteOffset() + ")";
    }
}
