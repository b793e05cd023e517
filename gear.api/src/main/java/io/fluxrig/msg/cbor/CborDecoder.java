package io.fluxrig.msg.cbor;

import static io.fluxrig.msg.cbor.CborInput.ARRAY;
import static io.fluxrig.msg.cbor.CborInput.BYTES;
import static io.fluxrig.msg.cbor.CborInput.MAP;
import static io.fluxrig.msg.cbor.CborInput.NINT;
import static io.fluxrig.msg.cbor.CborInput.SIMPLE;
import static io.fluxrig.msg.cbor.CborInput.TAG;
import static io.fluxrig.msg.cbor.CborInput.TEXT;
import static io.fluxrig.msg.cbor.CborInput.UINT;

import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.msg.internal.MsgInternals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decodes one envelope strictly: accepts exactly the bytes {@link CborEncoder} would write for
 * some message, and nothing else. Recursion is bounded by the nesting limit (at most
 * {@link CborLimits#MAX_DEPTH_CAP}); every count and length is checked against the remaining
 * input before anything is sized by it. Not thread-safe: one instance per decode call.
 *
 * <p>It builds the message's immutable parts directly ({@link MsgInternals}): the maps it reads
 * are already verified to be in canonical order (each key is compared bytewise with the one
 * before), so they are handed over as arrays instead of being re-sorted by a
 * {@code FluxMsg.Builder}. Error texts are only built when an error is thrown.
 */
final class CborDecoder {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final MsgInternals MSG = MsgInternals.get();
    /**
     * Arrays for a container's elements start at most this long and double as elements are
     * actually read. A declared count is only checked against the bytes remaining, and sizing
     * by it at every nesting level would let a small input make the decoder allocate far more
     * than a small multiple of its size before failing.
     */
    private static final int FIRST_CAPACITY = 16;

    private final CborInput in;
    private final int maxDepth;

    CborDecoder(byte[] buf, int off, int len, int maxDepth) {
        this.in = new CborInput(buf, off, len);
        this.maxDepth = maxDepth;
    }

    FluxMsg envelope() throws CborException {
        in.readHead();
        if (in.major != MAP) {
            throw in.error("envelope must be a map, found " + in.foundName());
        }
        int start = in.itemStart;
        int n = in.count();
        UUID id = null;
        long ts = 0;
        boolean hasTs = false;
        UUID ref = null;
        String trace = null;
        String src = null;
        Map<String, String> meta = null;
        Map<String, Object> data = null;
        Bytes raw = null;
        List<Hop> path = null;
        KeyOrder order = new KeyOrder();
        for (int i = 0; i < n; i++) {
            int keyAt = in.position();
            String key = key(order);
            switch (key) {
                case "id" -> id = uuid("id");
                case "ts" -> {
                    ts = int64("ts");
                    hasTs = true;
                }
                case "raw" -> {
                    in.expect(BYTES, "\"raw\"");
                    int at = in.skipContent();
                    raw = Bytes.of(in.buffer(), at, in.position() - at);
                }
                case "ref" -> ref = uuid("ref");
                case "src" -> src = text("\"src\"");
                case "data" -> data = nonEmptyMap("data");
                case "meta" -> meta = meta();
                case "path" -> path = path();
                case "trace" -> trace = trace();
                default -> throw in.error(keyAt, "unknown envelope key \"" + key + "\"");
            }
        }
        if (id == null) {
            throw in.error(start, "missing required key \"id\"");
        }
        if (!hasTs) {
            throw in.error(start, "missing required key \"ts\"");
        }
        if (in.remaining() != 0) {
            throw in.error(in.position(), in.remaining() + " trailing bytes after the envelope");
        }
        return MSG.message(id, ts, ref, trace, src, meta, data, raw, path);
    }

    /** @return the next capacity of an element array holding {@code filled} of {@code declared} */
    private static int grow(int filled, int declared) {
        return (int) Math.min(declared, 2L * filled);
    }

    /** Where the previous key of one map lies, to check the next one sorts strictly after it. */
    private static final class KeyOrder {
        int start = -1;
        int end = -1;
    }

    /** Reads a text key and checks it sorts strictly after the previous key of the same map. */
    private String key(KeyOrder prev) throws CborException {
        int at = in.position();
        in.readHead();
        if (in.major != TEXT) {
            throw in.error("map key must be a text string, found " + in.foundName());
        }
        String key = in.text();
        if (prev.start >= 0) {
            int cmp = Arrays.compareUnsigned(in.buffer(), prev.start, prev.end, in.buffer(), at, in.position());
            if (cmp >= 0) {
                throw in.error(at, cmp == 0 ? "duplicate map key \"" + key + "\""
                        : "map key \"" + key + "\" out of canonical order");
            }
        }
        prev.start = at;
        prev.end = in.position();
        return key;
    }

    private UUID uuid(String what) throws CborException {
        in.readHead();
        if (in.major != TAG || in.arg != 37) {
            throw in.error("\"" + what + "\" must be tag 37 (UUID), found " + in.foundName());
        }
        in.readHead();
        if (in.major != BYTES) {
            throw in.wrongType(BYTES, "UUID in \"" + what + "\"");
        }
        int at = in.skipContent();
        int len = in.position() - at;
        if (len != 16) {
            throw in.error("UUID in \"" + what + "\" must be 16 bytes, found " + len);
        }
        byte[] b = in.buffer();
        return new UUID(getLong(b, at), getLong(b, at + 8));
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    private long int64(String what) throws CborException {
        in.readHead();
        if (in.major != UINT && in.major != NINT) {
            throw in.error("\"" + what + "\" must be an integer, found " + in.foundName());
        }
        return signed64(what);
    }

    /** @return the integer head just read as a long, refusing values outside the long range */
    private long signed64(String what) throws CborException {
        if (in.arg < 0) {
            throw in.error(what + ": integer " + (in.major == UINT ? "" : "-1-")
                    + Long.toUnsignedString(in.arg) + " is outside the 64-bit signed range");
        }
        return in.major == UINT ? in.arg : -1 - in.arg;
    }

    private String text(String what) throws CborException {
        in.expect(TEXT, what);
        return in.text();
    }

    private String trace() throws CborException {
        String t = text("\"trace\"");
        if (!MSG.isTraceparent(t)) {
            throw in.error("\"trace\" is not a W3C traceparent: \"" + t + "\"");
        }
        return t;
    }

    private Map<String, String> meta() throws CborException {
        in.expect(MAP, "\"meta\"");
        int n = nonEmpty("meta");
        String[] keys = new String[Math.min(n, FIRST_CAPACITY)];
        String[] values = new String[keys.length];
        KeyOrder order = new KeyOrder();
        for (int i = 0; i < n; i++) {
            if (i == keys.length) {
                keys = Arrays.copyOf(keys, grow(i, n));
                values = Arrays.copyOf(values, keys.length);
            }
            String key = key(order);
            keys[i] = key;
            in.readHead();
            if (in.major != TEXT) {
                throw in.wrongType(TEXT, "meta value of \"" + key + "\"");
            }
            values[i] = in.text();
        }
        return MSG.metaMap(keys, values, n);
    }

    private int nonEmpty(String what) throws CborException {
        int n = in.count();
        if (n == 0) {
            throw in.error("empty \"" + what + "\" must be omitted");
        }
        return n;
    }

    private List<Hop> path() throws CborException {
        in.expect(ARRAY, "\"path\"");
        int n = nonEmpty("path");
        Hop[] hops = new Hop[Math.min(n, FIRST_CAPACITY)];
        for (int i = 0; i < n; i++) {
            if (i == hops.length) {
                hops = Arrays.copyOf(hops, grow(i, n));
            }
            in.readHead();
            if (in.major != ARRAY) {
                throw in.wrongType(ARRAY, "hop " + i);
            }
            if (in.arg != 3) {
                throw in.error("hop " + i + " must be [rack, gear, ts], found " + in.count() + " elements");
            }
            String rack = text("hop rack");
            String gear = text("hop gear");
            hops[i] = new Hop(rack, gear, int64("hop ts"));
        }
        return MSG.path(hops.length == n ? hops : Arrays.copyOf(hops, n));
    }

    private Map<String, Object> nonEmptyMap(String what) throws CborException {
        in.readHead();
        if (in.major != MAP) {
            throw in.wrongType(MAP, "\"" + what + "\"");
        }
        nonEmpty(what);
        return mapBody(2);
    }

    /** Reads the entries of the map whose head was just read, at the given nesting level. */
    private Map<String, Object> mapBody(int depth) throws CborException {
        int n = in.count();
        String[] keys = new String[Math.min(n, FIRST_CAPACITY)];
        Object[] values = new Object[keys.length];
        KeyOrder order = new KeyOrder();
        for (int i = 0; i < n; i++) {
            if (i == keys.length) {
                keys = Arrays.copyOf(keys, grow(i, n));
                values = Arrays.copyOf(values, keys.length);
            }
            keys[i] = key(order);
            values[i] = value(depth);
        }
        return MSG.dataMap(keys, values, n);
    }

    /** Reads one data value held by a container at nesting level {@code depth}. */
    private Object value(int depth) throws CborException {
        in.readHead();
        switch (in.major) {
            case UINT, NINT:
                return signed64("data");
            case BYTES: {
                int at = in.skipContent();
                return Bytes.of(in.buffer(), at, in.position() - at);
            }
            case TEXT:
                return in.text();
            case ARRAY: {
                enter(depth + 1);
                int n = in.count();
                Object[] items = new Object[Math.min(n, FIRST_CAPACITY)];
                for (int i = 0; i < n; i++) {
                    if (i == items.length) {
                        items = Arrays.copyOf(items, grow(i, n));
                    }
                    items[i] = value(depth + 1);
                }
                return MSG.dataList(items.length == n ? items : Arrays.copyOf(items, n));
            }
            case MAP: {
                enter(depth + 1);
                return mapBody(depth + 1);
            }
            case TAG:
                if (in.arg == 4) {
                    return decimal();
                }
                throw in.error("unsupported tag " + Long.toUnsignedString(in.arg) + " in data");
            default:
                return simple();
        }
    }

    /** Reads one standalone data value (as if held by the data map) and nothing after it. */
    Object standaloneValue() throws CborException {
        Object v = value(2);
        if (in.remaining() != 0) {
            throw in.error(in.position(), in.remaining() + " trailing bytes after the value");
        }
        return v;
    }

    private void enter(int depth) throws CborException {
        if (depth > maxDepth) {
            throw in.error("nesting deeper than " + maxDepth + " levels");
        }
    }

    private Object simple() throws CborException {
        switch (in.info) {
            case 20: return Boolean.FALSE;
            case 21: return Boolean.TRUE;
            case 22: return null;
            case 25: {
                int h = (int) in.arg;
                if (HalfFloat.isNaN(h) && h != HalfFloat.CANONICAL_NAN) {
                    throw in.error("NaN must be encoded as f97e00");
                }
                return HalfFloat.toDouble(h);
            }
            case 26: {
                float f = Float.intBitsToFloat((int) in.arg);
                if (Float.isNaN(f)) {
                    throw in.error("NaN must be encoded as f97e00");
                }
                if (HalfFloat.exactBits(f) >= 0) {
                    throw in.error("float32 " + f + " not in shortest form (fits float16)");
                }
                return (double) f;
            }
            case 27: {
                double d = Double.longBitsToDouble(in.arg);
                if (Double.isNaN(d)) {
                    throw in.error("NaN must be encoded as f97e00");
                }
                if ((double) (float) d == d) {
                    throw in.error("float64 " + d + " not in shortest form (fits a shorter float)");
                }
                return d;
            }
            default:
                throw in.error("unsupported simple value " + (in.info == 24 ? in.arg : in.info));
        }
    }

    private BigDecimal decimal() throws CborException {
        in.expect(ARRAY, "tag 4 content");
        if (in.arg != 2) {
            throw in.error("tag 4 must hold [exponent, mantissa], found " + in.count() + " elements");
        }
        in.readHead();
        if (in.major != UINT && in.major != NINT) {
            throw in.error("decimal exponent must be an integer, found " + in.foundName());
        }
        // scale = -exponent must fit an int: exponent in [-(2^31-1), 2^31].
        boolean fits = in.major == UINT ? Long.compareUnsigned(in.arg, 1L << 31) <= 0
                : Long.compareUnsigned(in.arg, (1L << 31) - 2) <= 0;
        if (!fits) {
            throw in.error("decimal exponent out of range (scale must fit 32 bits)");
        }
        int scale = (int) -(in.major == UINT ? in.arg : -1 - in.arg);
        in.readHead();
        if ((in.major == UINT || in.major == NINT) && in.arg >= 0) {
            // The common case, a mantissa within 64 signed bits: no BigInteger at all.
            return BigDecimal.valueOf(in.major == UINT ? in.arg : -1 - in.arg, scale);
        }
        return new BigDecimal(mantissa(), scale);
    }

    /** The mantissa whose head was just read, when it does not fit a long. */
    private BigInteger mantissa() throws CborException {
        if (in.major == UINT || in.major == NINT) {
            BigInteger n = new BigInteger(Long.toUnsignedString(in.arg));
            return in.major == UINT ? n : n.negate().subtract(BigInteger.ONE);
        }
        if (in.major != TAG || (in.arg != 2 && in.arg != 3)) {
            throw in.error("decimal mantissa must be an integer or bignum, found " + in.foundName());
        }
        boolean negative = in.arg == 3;
        in.expect(BYTES, "bignum content");
        int at = in.skipContent();
        int len = in.position() - at;
        if (len > 0 && in.buffer()[at] == 0) {
            throw in.error("bignum has a leading zero byte");
        }
        if (len <= 8) {
            throw in.error("bignum of " + len + " bytes must be written as a plain integer");
        }
        BigInteger n = new BigInteger(1, Arrays.copyOfRange(in.buffer(), at, at + len));
        assert n.compareTo(TWO_64) >= 0;
        return negative ? n.negate().subtract(BigInteger.ONE) : n;
    }
}
