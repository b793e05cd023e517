package io.fluxrig.msg.cbor;

import com.fasterxml.jackson.core.io.SerializedString;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.msg.internal.MsgInternals;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a {@link FluxMsg} as deterministic CBOR through a {@link DeterministicGenerator}.
 *
 * <p>What Jackson does and what this class does itself:
 * <ul>
 *   <li>Containers: Jackson, with definite lengths ({@code writeStartObject(Object,int)},
 *       {@code writeStartArray(Object,int)}).
 *   <li>Key order: this class writes keys in the iteration order of fluxMsg maps, which is
 *       already RFC 8949 bytewise order; Jackson never sorts.
 *   <li>Text: checked here for unpaired surrogates (which have no UTF-8 form), then written
 *       by Jackson. Up to 23 chars with {@code writeString(String)} /
 *       {@code writeFieldName(String)}, which encode straight into Jackson's buffer with a
 *       shortest definite-length head; longer text as UTF-8 bytes ({@code writeUTF8String},
 *       {@code writeFieldName(SerializableString)}), because Jackson's string path switches to
 *       indefinite-length chunks above about 4000 chars, which deterministic CBOR forbids.
 *   <li>Integers, byte strings, tags, booleans, null, float32 and float64: Jackson
 *       ({@code WRITE_MINIMAL_INTS} gives shortest heads; byte strings are always definite).
 *   <li>Float width: chosen here. Jackson has no float16 output, so a float16 item (including
 *       the canonical NaN f97e00) is written as pre-encoded bytes.
 *   <li>Integers in [-2^64, -2^63-1] (only as decimal mantissas): Jackson can only write them
 *       as a tag 3 bignum, which is not the preferred form, so the 9-byte major-type-1 item is
 *       written as pre-encoded bytes.
 * </ul>
 * Pre-encoded items go through {@link DeterministicGenerator#writeEncodedItem(byte[])} so that
 * Jackson still counts them against the container's declared length.
 *
 * <p>Costs kept off the common path (found with JMH's gc and stack profilers, see
 * bench/README.md): error texts and dotted data paths are built only when an error is thrown;
 * text and keys are encoded to UTF-8 once, not once to check and again to write; byte
 * strings are written from the array behind the {@link Bytes} (through
 * {@code MsgInternals}), not from a copy; UUID bytes go through a buffer owned by the generator.
 * Jackson's own string encoder ({@code CBORGenerator._encode}) is the largest single item of
 * the encode profile, about a quarter of it; it is also what plain Jackson spends its time on.
 *
 * <p>Stateless apart from the nesting limit; thread-safe.
 */
final class CborEncoder {
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString TS = new SerializedString("ts");
    private static final SerializedString RAW = new SerializedString("raw");
    private static final SerializedString REF = new SerializedString("ref");
    private static final SerializedString SRC = new SerializedString("src");
    private static final SerializedString DATA = new SerializedString("data");
    private static final SerializedString META = new SerializedString("meta");
    private static final SerializedString PATH = new SerializedString("path");
    private static final SerializedString TRACE = new SerializedString("trace");
    private static final int TAG_UUID = 37;
    private static final int TAG_DECIMAL = 4;
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final MsgInternals MSG = MsgInternals.get();

    private final int maxDepth;

    CborEncoder(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    void writeEnvelope(DeterministicGenerator g, FluxMsg m) throws IOException {
        int size = 2 + count(m.raw() != null) + count(m.ref() != null) + count(m.src() != null)
                + count(!m.data().isEmpty()) + count(!m.meta().isEmpty())
                + count(!m.path().isEmpty()) + count(m.trace() != null);
        // Canonical key order: id ts | raw ref src | data meta path | trace.
        g.writeStartObject(m, size);
        g.writeFieldName(ID);
        writeUuid(g, m.id());
        g.writeFieldName(TS);
        g.writeNumber(m.ts());
        if (m.raw() != null) {
            g.writeFieldName(RAW);
            writeBytes(g, m.raw());
        }
        if (m.ref() != null) {
            g.writeFieldName(REF);
            writeUuid(g, m.ref());
        }
        if (m.src() != null) {
            g.writeFieldName(SRC);
            writeText(g, m.src(), "src");
        }
        if (!m.data().isEmpty()) {
            g.writeFieldName(DATA);
            writeMap(g, m.data(), 2, "");
        }
        if (!m.meta().isEmpty()) {
            g.writeFieldName(META);
            g.writeStartObject(m.meta(), m.meta().size());
            for (Map.Entry<String, String> e : m.meta().entrySet()) {
                String key = e.getKey();
                writeKey(g, key, "meta", null);
                String value = e.getValue();
                int bad = Utf8.firstUnpairedSurrogate(value);
                if (bad >= 0) {
                    throw Utf8.unpaired("meta " + key, bad);
                }
                g.writeText(value);
            }
            g.writeEndObject();
        }
        if (!m.path().isEmpty()) {
            g.writeFieldName(PATH);
            writePath(g, m.path());
        }
        if (m.trace() != null) {
            g.writeFieldName(TRACE);
            writeText(g, m.trace(), "trace");
        }
        g.writeEndObject();
    }

    private static int count(boolean present) {
        return present ? 1 : 0;
    }

    private static void writePath(DeterministicGenerator g, List<Hop> path) throws IOException {
        g.writeStartArray(path, path.size());
        for (int i = 0, n = path.size(); i < n; i++) {
            Hop hop = path.get(i);
            g.writeStartArray(hop, 3);
            writeText(g, hop.rack(), "path rack");
            writeText(g, hop.gear(), "path gear");
            g.writeNumber(hop.ts());
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    /**
     * @param g the generator
     * @param value a normalised fluxMsg data value
     * @param depth nesting level of the container holding the value (data map = 2)
     * @param path dotted data path, for error messages
     */
    void writeValue(DeterministicGenerator g, Object value, int depth, String path) throws IOException {
        writeValue(g, value, depth, path, null, -1);
    }

    /**
     * Writes one data value. Its dotted path, needed only for an error message, is passed in
     * parts ({@code parent} plus {@code key}, or {@code parent} plus list {@code index} when
     * {@code key} is null) and joined only when an error is thrown or a container is entered:
     * joining it for every value was a measurable share of the encode time and garbage.
     */
    private void writeValue(DeterministicGenerator g, Object value, int depth, String parent,
            String key, int index) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            int bad = Utf8.firstUnpairedSurrogate(s);
            if (bad >= 0) {
                throw Utf8.unpaired("data " + join(parent, key, index), bad);
            }
            g.writeText(s);
        } else if (value instanceof Long l) {
            g.writeNumber(l.longValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Double d) {
            writeDouble(g, d);
        } else if (value instanceof BigDecimal d) {
            writeDecimal(g, d);
        } else if (value instanceof Bytes b) {
            writeBytes(g, b);
        } else if (value instanceof Map<?, ?> m) {
            writeMap(g, m, depth + 1, join(parent, key, index));
        } else if (value instanceof List<?> l) {
            String path = join(parent, key, index);
            checkDepth(depth + 1, path);
            g.writeStartArray(l, l.size());
            int i = 0;
            for (Object item : l) {
                writeValue(g, item, depth + 1, path, null, i++);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("data " + join(parent, key, index)
                    + ": unsupported value type " + value.getClass().getName());
        }
    }

    private void writeMap(DeterministicGenerator g, Map<?, ?> m, int depth, String path) throws IOException {
        checkDepth(depth, path);
        g.writeStartObject(m, m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = (String) e.getKey();
            writeKey(g, key, "data", path);
            writeValue(g, e.getValue(), depth, path, key, -1);
        }
        g.writeEndObject();
    }

    private void checkDepth(int depth, String path) {
        if (depth > maxDepth) {
            throw new IllegalArgumentException("data " + path + ": nesting deeper than " + maxDepth
                    + " levels cannot be decoded");
        }
    }

    /** @return {@code parent.key}, {@code parent.index} (key null), or {@code parent} alone (both absent) */
    private static String join(String parent, String key, int index) {
        String last = key != null ? key : index >= 0 ? Integer.toString(index) : null;
        if (last == null) {
            return parent;
        }
        return parent.isEmpty() ? last : parent + "." + last;
    }

    /**
     * @param what {@code "meta"} (the error names no key) or {@code "data"} (the error names the
     *     key's dotted path under {@code parent})
     */
    private static void writeKey(DeterministicGenerator g, String key, String what, String parent)
            throws IOException {
        int bad = Utf8.firstUnpairedSurrogate(key);
        if (bad >= 0) {
            throw Utf8.unpaired(parent == null ? what : what + " " + join(parent, key, -1), bad);
        }
        g.writeKey(key);
    }

    /** @param where what the text is, for the error message (a constant: built once) */
    private static void writeText(DeterministicGenerator g, String s, String where) throws IOException {
        int bad = Utf8.firstUnpairedSurrogate(s);
        if (bad >= 0) {
            throw Utf8.unpaired(where, bad);
        }
        g.writeText(s);
    }

    private static void writeBytes(DeterministicGenerator g, Bytes b) throws IOException {
        // The array behind the Bytes, not a copy: Jackson only reads it.
        byte[] bytes = MSG.array(b);
        g.writeBinary(bytes, 0, bytes.length);
    }

    private static void writeUuid(DeterministicGenerator g, UUID id) throws IOException {
        byte[] b = g.scratch16();
        putLong(b, 0, id.getMostSignificantBits());
        putLong(b, 8, id.getLeastSignificantBits());
        g.writeTag(TAG_UUID);
        g.writeBinary(b, 0, 16);
    }

    static void writeDouble(DeterministicGenerator g, double d) throws IOException {
        int half = Double.isNaN(d) ? HalfFloat.CANONICAL_NAN : HalfFloat.exactBits(d);
        if (half >= 0) {
            g.writeEncodedItem(new byte[] {(byte) 0xf9, (byte) (half >>> 8), (byte) half});
        } else if ((double) (float) d == d) {
            g.writeNumber((float) d);
        } else {
            g.writeNumber(d);
        }
    }

    private static void writeDecimal(DeterministicGenerator g, BigDecimal d) throws IOException {
        g.writeTag(TAG_DECIMAL);
        g.writeStartArray(d, 2);
        g.writeNumber(-(long) d.scale());
        BigInteger m = d.unscaledValue();
        if (m.bitLength() <= 63) {
            g.writeNumber(m.longValue());
        } else if (m.signum() > 0 && m.compareTo(U64_MAX) <= 0) {
            g.writeNumberUnsigned(m.longValue());
        } else {
            // Major type 1 holds -1-n; beyond 64 bits of n, a bignum (tag 2 n / tag 3 n).
            BigInteger n = m.signum() < 0 ? m.negate().subtract(BigInteger.ONE) : m;
            if (m.signum() < 0 && n.bitLength() <= 64) {
                byte[] item = new byte[9];
                item[0] = 0x3b;
                putLong(item, 1, n.longValue());
                g.writeEncodedItem(item);
            } else {
                byte[] mag = n.toByteArray();
                int skip = mag[0] == 0 ? 1 : 0;
                g.writeTag(m.signum() < 0 ? 3 : 2);
                g.writeBinary(mag, skip, mag.length - skip);
            }
        }
        g.writeEndArray();
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
