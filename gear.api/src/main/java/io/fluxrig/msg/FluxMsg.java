package io.fluxrig.msg;

import io.fluxrig.msg.internal.MsgInternals;
import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * fluxMsg: the immutable envelope every gear reads and writes.
 *
 * <ul>
 *   <li>{@code id}: a UUIDv7 (time-ordered), unique per message;
 *   <li>{@code ref}: the id of the message this one answers or derives from, or null;
 *   <li>{@code trace}: the W3C traceparent, or null;
 *   <li>{@code src}: the gear instance the message originates from, or null;
 *   <li>{@code meta}: string to string, routing and protocol context;
 *   <li>{@code data}: string to value, where a value is a String, Long (64-bit integer),
 *       BigDecimal, Double, Boolean, {@link Bytes}, null, or a nested Map or List of values;
 *   <li>{@code raw}: the original wire bytes, kept for bit-perfect audit, or null;
 *   <li>{@code path}: the hops the message has taken;
 *   <li>{@code ts}: creation time in nanoseconds since the epoch.
 * </ul>
 *
 * <p>Immutable and thread-safe. Maps iterate in canonical CBOR key order (shorter keys first,
 * then bytewise), so two equal messages always encode to the same bytes. Deriving a message
 * ({@link #derive()}, {@link #toBuilder()}) shares the unchanged parts instead of copying them.
 */
public final class FluxMsg {
    static {
        // Before any codec can ask for it: MsgInternals.get() initialises this class first.
        MsgInternals.install(new MsgInternalsImpl());
    }

    private final UUID id;
    private final UUID ref;
    private final String trace;
    private final String src;
    private final Map<String, String> meta;
    private final Map<String, Object> data;
    private final Bytes raw;
    private final List<Hop> path;
    private final long ts;

    private FluxMsg(Builder b) {
        this.id = b.id != null ? b.id : newId();
        this.ref = b.ref;
        this.trace = b.trace;
        this.src = b.src;
        this.meta = b.meta;
        this.data = b.data;
        this.raw = b.raw;
        this.path = b.path;
        this.ts = b.tsSet ? b.ts : nowNanos();
    }

    /** Takes already-validated parts as they are (the decoder, {@link #withHop}). */
    FluxMsg(UUID id, long ts, UUID ref, String trace, String src, Map<String, String> meta,
            Map<String, Object> data, Bytes raw, List<Hop> path) {
        this.id = id;
        this.ts = ts;
        this.ref = ref;
        this.trace = trace;
        this.src = src;
        this.meta = meta;
        this.data = data;
        this.raw = raw;
        this.path = path;
    }

    /**
     * A data value as a message holds it: normalised to the supported types, containers copied
     * into immutable canonical form. Passing the result to several {@link Builder#data} calls (a
     * field under two keys) or to several messages shares it: it is not copied again.
     *
     * @param value any supported value (see the class description)
     * @return the normalised, immutable value
     * @throws IllegalArgumentException naming the nested path when a type is not supported
     * @since 1.1
     */
    public static Object dataValue(Object value) {
        return Values.normalise("value", value);
    }

    /** @return a builder for a new message (a fresh id and timestamp unless set) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a new UUIDv7: 48 bits of Unix milliseconds, version 7, 74 random bits */
    public static UUID newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long ms = System.currentTimeMillis();
        long msb = (ms << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** @return the current time in nanoseconds since the epoch (microsecond resolution or better) */
    public static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** @return the message id (UUIDv7) */
    public UUID id() {
        return id;
    }

    /** @return the id this message answers or derives from, or null */
    public UUID ref() {
        return ref;
    }

    /** @return the W3C traceparent, or null */
    public String trace() {
        return trace;
    }

    /** @return the originating gear instance, or null */
    public String src() {
        return src;
    }

    /** @return the meta entries, immutable, in canonical key order */
    public Map<String, String> meta() {
        return meta;
    }

    /**
     * @param key a meta key
     * @return its value, or null
     */
    public String meta(String key) {
        return meta.get(key);
    }

    /** @return the data entries, immutable, in canonical key order */
    public Map<String, Object> data() {
        return data;
    }

    /** @return the original wire bytes, or null */
    public Bytes raw() {
        return raw;
    }

    /** @return the hops taken, oldest first, immutable */
    public List<Hop> path() {
        return path;
    }

    /** @return creation time in nanoseconds since the epoch */
    public long ts() {
        return ts;
    }

    /**
     * Reads a data value by dotted path: {@code "card.pan"} is key {@code pan} of the map at
     * key {@code card}; a numeric segment indexes a list ({@code "items.0.sku"}). A key that
     * itself contains a dot is read with {@code data().get(key)}.
     *
     * @param dottedPath the path
     * @return the value, or null when any step is missing
     */
    public Object get(String dottedPath) {
        Object current = data.get(dottedPath);
        if (current != null || dottedPath.indexOf('.') < 0) {
            return current;
        }
        current = data;
        int start = 0;
        while (current != null && start <= dottedPath.length()) {
            int dot = dottedPath.indexOf('.', start);
            String segment = dottedPath.substring(start, dot < 0 ? dottedPath.length() : dot);
            current = step(current, segment);
            if (dot < 0) {
                return current;
            }
            start = dot + 1;
        }
        return null;
    }

    private static Object step(Object container, String segment) {
        if (container instanceof Map<?, ?> m) {
            return m.get(segment);
        }
        if (container instanceof List<?> l && !segment.isEmpty() && segment.length() < 10
                && segment.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(segment);
            return index < l.size() ? l.get(index) : null;
        }
        return null;
    }

    /**
     * @param dottedPath see {@link #get(String)}
     * @return the text value, or null if absent
     * @throws ClassCastException naming the path when the value is not text
     */
    public String getString(String dottedPath) {
        return typed(dottedPath, String.class);
    }

    /**
     * @param dottedPath see {@link #get(String)}
     * @return the integer value, or null if absent
     * @throws ClassCastException naming the path when the value is not an integer
     */
    public Long getLong(String dottedPath) {
        return typed(dottedPath, Long.class);
    }

    /**
     * @param dottedPath see {@link #get(String)}
     * @return the value as a decimal (integers are widened), or null if absent
     * @throws ClassCastException naming the path when the value is not a decimal or integer
     */
    public BigDecimal getDecimal(String dottedPath) {
        Object v = get(dottedPath);
        if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        return v == null ? null : typed(dottedPath, BigDecimal.class);
    }

    /**
     * @param dottedPath see {@link #get(String)}
     * @return the floating-point value, or null if absent
     * @throws ClassCastException naming the path when the value is not a double
     */
    public Double getDouble(String dottedPath) {
        return typed(dottedPath, Double.class);
    }

    /**
     * @param dottedPath see {@link #get(String)}
     * @return the boolean value, or null if absent
     * @throws ClassCastException naming the path when the value is not a boolean
     */
    public Boolean getBoolean(String dottedPath) {
        return typed(dottedPath, Boolean.class);
    }

    /**
     * @param dottedPath see {@link #get(String)}
     * @return the byte value, or null if absent
     * @throws ClassCastException naming the path when the value is not bytes
     */
    public Bytes getBytes(String dottedPath) {
        return typed(dottedPath, Bytes.class);
    }

    /**
     * @param dottedPath see {@link #get(String)}
     * @return the nested map, or null if absent
     * @throws ClassCastException naming the path when the value is not a map
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String dottedPath) {
        return typed(dottedPath, Map.class);
    }

    /**
     * @param dottedPath see {@link #get(String)}
     * @return the nested list, or null if absent
     * @throws ClassCastException naming the path when the value is not a list
     */
    @SuppressWarnings("unchecked")
    public List<Object> getList(String dottedPath) {
        return typed(dottedPath, List.class);
    }

    private <T> T typed(String dottedPath, Class<T> type) {
        Object v = get(dottedPath);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        throw new ClassCastException("data " + dottedPath + ": expected " + type.getSimpleName()
                + " but is " + v.getClass().getSimpleName());
    }

    /** @return a builder holding this message as it is (same id); unchanged parts are shared */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Starts a new message derived from this one: a fresh id and timestamp, {@code ref} set to
     * this message's id, and the same trace, src, meta, data, raw and path (shared, not copied).
     *
     * @return the builder
     */
    public Builder derive() {
        Builder b = new Builder(this);
        b.id = null;
        b.tsSet = false;
        b.ref = id;
        return b;
    }

    /**
     * @param rack the rack name
     * @param gear the gear instance name
     * @param hopTs when, in nanoseconds since the epoch
     * @return this message with one more hop appended (same id)
     */
    public FluxMsg withHop(String rack, String gear, long hopTs) {
        // The rack calls this on every emit: copy the fields directly instead of going through
        // a Builder (measured ~99 ns per hop with one, see bench/README.md).
        return new FluxMsg(id, ts, ref, trace, src, meta, data, raw,
                HopPath.append(path, new Hop(rack, gear, hopTs)));
    }

    /**
     * Like {@link #withHop}, under another trace: what the rack does on every emit while tracing,
     * so that the next gear's span is a child of the emitting one. The fields are copied directly,
     * as {@link #withHop} does (a Builder costs a copy and a check of every field).
     *
     * @param trace the W3C traceparent the message now carries
     * @param rack the rack recording the hop
     * @param gear the gear instance recording the hop
     * @param hopTs the hop's timestamp ({@link #nowNanos()})
     * @return a message equal to this one but for its trace and its path, one hop longer
     * @throws IllegalArgumentException when {@code trace} is not a W3C traceparent
     */
    public FluxMsg withTraceAndHop(String trace, String rack, String gear, long hopTs) {
        if (trace == null || !Traceparent.isValid(trace)) {
            throw new IllegalArgumentException("trace: not a W3C traceparent: '" + trace + "'");
        }
        return new FluxMsg(id, ts, ref, trace, src, meta, data, raw, HopPath.append(path, new Hop(rack, gear, hopTs)));
    }

    /**
     * An immutable path backed by an exactly sized array: appending a hop copies the array once,
     * where an {@code ArrayList} plus {@code Collections.unmodifiableList} made three objects.
     */
    static final class HopPath extends AbstractList<Hop> implements RandomAccess {
        private final Hop[] hops;

        /** @param hops owned by the path from now on */
        HopPath(Hop[] hops) {
            this.hops = hops;
        }

        static List<Hop> append(List<Hop> path, Hop hop) {
            Hop[] next = path.toArray(new Hop[path.size() + 1]);
            next[next.length - 1] = hop;
            return new HopPath(next);
        }

        @Override
        public Hop get(int index) {
            return hops[index];
        }

        @Override
        public int size() {
            return hops.length;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof FluxMsg m && ts == m.ts && id.equals(m.id) && Objects.equals(ref, m.ref)
                && Objects.equals(trace, m.trace) && Objects.equals(src, m.src)
                && meta.equals(m.meta) && data.equals(m.data) && Objects.equals(raw, m.raw)
                && path.equals(m.path);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Long.hashCode(ts);
    }

    @Override
    public String toString() {
        return "FluxMsg{id=" + id + (ref != null ? ", ref=" + ref : "") + (src != null ? ", src=" + src : "")
                + ", meta=" + meta.keySet() + ", data=" + data.keySet() + (raw != null ? ", raw=" + raw.length() + " bytes" : "")
                + ", hops=" + path.size() + "}";
    }

    /**
     * Builds a {@link FluxMsg}. Not thread-safe; use one builder per thread. Values are checked
     * and normalised as they are set (Integer to Long, byte[] to {@link Bytes}, Float to Double,
     * maps and lists to immutable copies), and an unsupported value is refused at once with an
     * {@link IllegalArgumentException} naming its path.
     */
    public static final class Builder {
        static final Map<String, String> NO_META =
                new CanonicalMap<>(new TreeMap<String, String>(CanonicalKeys.ORDER));
        static final Map<String, Object> NO_DATA = new ImmutableData.Map(new TreeMap<>(CanonicalKeys.ORDER));

        private UUID id;
        private UUID ref;
        private String trace;
        private String src;
        private Map<String, String> meta = NO_META;
        private boolean metaOwned;
        private Map<String, Object> data = NO_DATA;
        // Unordered while building, sorted once in build(): a TreeMap draft paid a canonical-order
        // comparison per level for every insert, the largest cost of building a ~30-field message.
        private HashMap<String, Object> dataDraft;
        private Bytes raw;
        private List<Hop> path = List.of();
        private long ts;
        // An explicit flag, not a sentinel value: every long is a valid timestamp (a decoded
        // message with ts == Long.MIN_VALUE must keep it).
        private boolean tsSet;

        private Builder() {
        }

        private Builder(FluxMsg m) {
            id = m.id;
            ref = m.ref;
            trace = m.trace;
            src = m.src;
            meta = m.meta;
            data = m.data;
            raw = m.raw;
            path = m.path;
            ts = m.ts;
            tsSet = true;
        }

        /** @param value the message id; a fresh UUIDv7 is made when not set @return this */
        public Builder id(UUID value) {
            id = value;
            return this;
        }

        /** @param value the id this message answers or derives from @return this */
        public Builder ref(UUID value) {
            ref = value;
            return this;
        }

        /**
         * @param value a W3C traceparent ({@code 00-<32 hex>-<16 hex>-<2 hex>}), or null
         * @return this
         * @throws IllegalArgumentException when the text is not a traceparent
         */
        public Builder trace(String value) {
            if (value != null && !Traceparent.isValid(value)) {
                throw new IllegalArgumentException("trace: not a W3C traceparent: '" + value + "'");
            }
            trace = value;
            return this;
        }

        /** @param value the originating gear instance @return this */
        public Builder src(String value) {
            src = value;
            return this;
        }

        /**
         * @param key meta key
         * @param value meta value; null removes the key
         * @return this
         */
        public Builder meta(String key, String value) {
            Objects.requireNonNull(key, "meta key");
            if (!metaOwned) {
                TreeMap<String, String> copy = new TreeMap<>(CanonicalKeys.ORDER);
                copy.putAll(meta);
                meta = copy;
                metaOwned = true;
            }
            if (value == null) {
                meta.remove(key);
            } else {
                meta.put(key, value);
            }
            return this;
        }

        /** @param entries meta entries to set (replacing those with the same keys) @return this */
        public Builder meta(Map<String, String> entries) {
            entries.forEach(this::meta);
            return this;
        }

        /**
         * Sets a data value. A dotted key ({@code "card.pan"}) sets a value inside nested maps,
         * creating them as needed.
         *
         * @param dottedPath the key or dotted path
         * @param value a supported value (see the class description); null stores a null value
         * @return this
         * @throws IllegalArgumentException naming the path when the value type is not supported
         */
        public Builder data(String dottedPath, Object value) {
            Objects.requireNonNull(dottedPath, "data key");
            HashMap<String, Object> draft = draft();
            int dot = dottedPath.indexOf('.');
            if (dot < 0) {
                draft.put(dottedPath, Values.normalise(dottedPath, value));
                return this;
            }
            putNested(draft, dottedPath, 0, value);
            return this;
        }

        private static void putNested(Map<String, Object> target, String path, int start, Object value) {
            int dot = path.indexOf('.', start);
            String key = path.substring(start, dot < 0 ? path.length() : dot);
            if (dot < 0) {
                target.put(key, Values.normalise(path, value));
                return;
            }
            Object existing = target.get(key);
            TreeMap<String, Object> child = new TreeMap<>(CanonicalKeys.ORDER);
            if (existing instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    child.put((String) e.getKey(), e.getValue());
                }
            } else if (existing != null) {
                throw new IllegalArgumentException("data " + path.substring(0, dot)
                        + ": is a " + existing.getClass().getSimpleName() + ", not a map");
            }
            putNested(child, path, dot + 1, value);
            target.put(key, new ImmutableData.Map(child));
        }

        /** @param entries data entries to set (replacing those with the same keys) @return this */
        public Builder data(Map<String, ?> entries) {
            entries.forEach((k, v) -> draft().put(k, Values.normalise(k, v)));
            return this;
        }

        /** @param key a top-level data key to remove @return this */
        public Builder removeData(String key) {
            draft().remove(key);
            return this;
        }

        /** Removes every data entry. @return this */
        public Builder clearData() {
            dataDraft = new HashMap<>(64);
            return this;
        }

        private HashMap<String, Object> draft() {
            if (dataDraft == null) {
                dataDraft = new HashMap<>(Math.max(64, data.size() * 2));
                dataDraft.putAll(data);
            }
            return dataDraft;
        }

        /** @param value the original wire bytes (copied), or null @return this */
        public Builder raw(byte[] value) {
            raw = value == null ? null : Bytes.of(value);
            return this;
        }

        /** @param value the original wire bytes, or null @return this */
        public Builder raw(Bytes value) {
            raw = value;
            return this;
        }

        /** @param hop a hop to append to the path @return this */
        public Builder hop(Hop hop) {
            path = HopPath.append(path, Objects.requireNonNull(hop, "hop"));
            return this;
        }

        /** @param hops the whole path, replacing what was there @return this */
        public Builder path(List<Hop> hops) {
            path = List.copyOf(hops);
            return this;
        }

        /** @param epochNanos creation time in nanoseconds since the epoch @return this */
        public Builder ts(long epochNanos) {
            ts = epochNanos;
            tsSet = true;
            return this;
        }

        /** @return the message */
        public FluxMsg build() {
            if (dataDraft != null) {
                data = dataDraft.isEmpty() ? NO_DATA : new ImmutableData.Map(CanonicalKeys.sortedEntries(dataDraft));
                dataDraft = null;
            }
            if (metaOwned) {
                meta = new CanonicalMap<>((TreeMap<String, String>) meta);
                metaOwned = false;
            }
            return new FluxMsg(this);
        }
    }
}
