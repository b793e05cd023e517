package io.fluxrig.msg.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.fluxrig.msg.FluxMsg;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads and writes the JSON form of {@link FluxMsg} (described in the package documentation).
 * For every message {@code read(write(m)).equals(m)}, so CBOR to JSON to CBOR gives back the same
 * bytes. Errors name the JSON path and the reason.
 *
 * <p>Immutable and thread-safe; share one. Built on Jackson streaming (jackson-core only).
 */
public final class FluxMsgJson {
    /** Longest JSON number accepted, in characters (bounds the cost of parsing a decimal). */
    public static final int MAX_NUMBER_LENGTH = 10_000;

    private final boolean pretty;
    private final int maxDepth;
    private final JsonFactory factory;

    private FluxMsgJson(boolean pretty, int maxDepth) {
        if (maxDepth < 3 || maxDepth > 512) {
            throw new IllegalArgumentException("maxDepth must be 3..512: " + maxDepth);
        }
        this.pretty = pretty;
        this.maxDepth = maxDepth;
        this.factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(MAX_NUMBER_LENGTH).maxNestingDepth(maxDepth + 2).build())
                .build();
    }

    /** @return compact output, nesting limit 32 (as {@code CborLimits.DEFAULT}) */
    public static FluxMsgJson create() {
        return new FluxMsgJson(false, 32);
    }

    /** @param enabled whether to indent the output @return a copy with that setting */
    public FluxMsgJson withPrettyPrint(boolean enabled) {
        return new FluxMsgJson(enabled, maxDepth);
    }

    /**
     * @param depth deepest nesting accepted when reading, envelope = 1, data = 2 (3..512)
     * @return a copy with that limit
     */
    public FluxMsgJson withMaxDepth(int depth) {
        return new FluxMsgJson(pretty, depth);
    }

    /** @param msg a message @return its JSON form */
    public String write(FluxMsg msg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            write(msg, out);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory JSON write failed", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the JSON form as UTF-8; the stream is flushed, not closed.
     *
     * @param msg a message
     * @param out where to write
     * @throws IOException when the stream fails
     */
    public void write(FluxMsg msg, OutputStream out) throws IOException {
        Objects.requireNonNull(msg, "msg");
        try (JsonGenerator g = factory.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            JsonEnvelopeWriter.write(g, msg);
        }
    }

    /**
     * @param json one JSON envelope
     * @return the message
     * @throws JsonEnvelopeException naming the JSON path and reason
     */
    public FluxMsg read(String json) throws JsonEnvelopeException {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param json one JSON envelope, UTF-8
     * @return the message
     * @throws JsonEnvelopeException naming the JSON path and reason
     */
    public FluxMsg read(byte[] json) throws JsonEnvelopeException {
        try (JsonParser p = factory.createParser(json)) {
            try {
                return new JsonEnvelopeReader(p, maxDepth).read();
            } catch (JsonProcessingException e) {
                String where = e.getLocation() == null ? ""
                        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
                throw new JsonEnvelopeException(pathOf(p.getParsingContext()), e.getOriginalMessage() + where);
            }
        } catch (IOException e) {
            // Only reachable for a failure of Jackson itself: the input is in memory.
            throw new JsonEnvelopeException("$", "unreadable JSON: " + e.getMessage());
        }
    }

    /**
     * Writes one data value in the JSON form of the package documentation ({@code $bytes},
     * {@code $double}, {@code $$} keys, exact decimals): what gears that turn data into JSON
     * bytes use, so the envelope and its values have one JSON form.
     *
     * @param value a data value: String, Long (or Integer), BigDecimal, Double, Bytes, Boolean,
     *     null, Map with String keys (iteration order kept), List
     * @return its JSON, UTF-8
     * @throws IllegalArgumentException naming the type when a value is not a data value
     * @since 1.1
     */
    public byte[] writeValue(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            JsonEnvelopeWriter.writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory JSON write failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Reads one JSON document (any value; nothing but whitespace may follow it) as a data value,
     * with the rules and limits of the envelope's {@code data} (package documentation): integers
     * to Long (beyond 64 bits BigDecimal), other numbers to BigDecimal of the written scale,
     * {@code $bytes}/{@code $double} wrappers, {@code $$} keys, other {@code $} keys refused,
     * duplicate keys, unpaired surrogates and nesting beyond the limit refused.
     *
     * @param json the document, UTF-8
     * @return the value
     * @throws JsonEnvelopeException naming the JSON path, the reason and where it was found
     *     ({@code (offset N, line L, column C)}; also {@link JsonEnvelopeException#offset()})
     * @since 1.1
     */
    public Object readValue(byte[] json) throws JsonEnvelopeException {
        try (JsonParser p = factory.createParser(json)) {
            try {
                return new JsonEnvelopeReader(p, maxDepth).document();
            } catch (JsonEnvelopeException e) {
                throw e.offset() >= 0 ? e : located(e.path(), e.reason(), p.currentTokenLocation());
            } catch (JsonProcessingException e) {
                throw located(pathOf(p.getParsingContext()), e.getOriginalMessage(), e.getLocation());
            }
        } catch (IOException e) {
            // Only reachable for a failure of Jackson itself: the input is in memory.
            throw new JsonEnvelopeException("$", "unreadable JSON: " + e.getMessage());
        }
    }

    private static JsonEnvelopeException located(String path, String reason, JsonLocation at) {
        long offset = at == null ? -1 : at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
        if (offset < 0) {
            return new JsonEnvelopeException(path, reason);
        }
        return new JsonEnvelopeException(path, reason + " (offset " + offset + ", line " + at.getLineNr() + ", column "
                + at.getColumnNr() + ")", offset);
    }

    private static String pathOf(JsonStreamContext ctx) {
        StringBuilder sb = new StringBuilder();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            String step = c.inArray() ? "[" + Math.max(c.getCurrentIndex(), 0) + "]"
                    : c.getCurrentName() == null ? "" : JsonEnvelopeReader.child("", c.getCurrentName());
            sb.insert(0, step);
        }
        return "$" + sb;
    }
}
