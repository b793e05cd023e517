package io.fluxrig.iso8583;

import io.fluxrig.iso8583.internal.IsoInternals;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A decoded ISO 8583 message: the MTI and the fields by number, without bitmaps (they follow
 * from the fields present). Values are {@code String} for text types (exactly the wire content,
 * fill included), {@link io.fluxrig.msg.Bytes} for {@code b}, and for a TLV field a list of
 * maps {@code {tag, value[, length_bytes]}}. Immutable; {@link #with} returns a copy.
 *
 * <p>Held as two parallel arrays in ascending field order, which the codec fills and reads
 * directly (a message has a few dozen fields; a map per message cost the codec more than the
 * fields themselves). {@link #fields()} builds its map view once, on first use. Thread-safe.
 */
public final class IsoMessage {
    static {
        IsoInternals.install(new Internals());
    }

    private final String mti;
    private final int[] numbers;
    private final Object[] values;
    /** Built on first use; a race builds two equal views, which is harmless. */
    private SortedMap<Integer, Object> view;

    /**
     * @param mti the message type indicator, 4 digits
     * @param fields the values by field number (copied)
     */
    public IsoMessage(String mti, Map<Integer, ?> fields) {
        this.mti = Objects.requireNonNull(mti, "mti");
        TreeMap<Integer, Object> sorted = new TreeMap<>(fields);
        numbers = new int[sorted.size()];
        values = new Object[sorted.size()];
        int i = 0;
        for (Map.Entry<Integer, Object> e : sorted.entrySet()) {
            numbers[i] = e.getKey();
            values[i++] = e.getValue();
        }
    }

    /** Trusts its caller: numbers strictly ascending, arrays of equal length and owned by the message. */
    private IsoMessage(String mti, int[] numbers, Object[] values) {
        this.mti = mti;
        this.numbers = numbers;
        this.values = values;
    }

    /** @return the message type indicator */
    public String mti() {
        return mti;
    }

    /** @return the values by field number, ascending, immutable */
    public SortedMap<Integer, Object> fields() {
        SortedMap<Integer, Object> v = view;
        if (v == null) {
            TreeMap<Integer, Object> m = new TreeMap<>();
            for (int i = 0; i < numbers.length; i++) {
                m.put(numbers[i], values[i]);
            }
            v = Collections.unmodifiableSortedMap(m);
            view = v;
        }
        return v;
    }

    /**
     * @param number a field number
     * @return its value, or null when absent
     */
    public Object get(int number) {
        int i = Arrays.binarySearch(numbers, number);
        return i < 0 ? null : values[i];
    }

    /**
     * @param number a field number
     * @param value the new value, or null to remove the field
     * @return a copy with the change
     */
    public IsoMessage with(int number, Object value) {
        int i = Arrays.binarySearch(numbers, number);
        if (i >= 0) {
            if (value == null) {
                int[] n = new int[numbers.length - 1];
                Object[] v = new Object[numbers.length - 1];
                System.arraycopy(numbers, 0, n, 0, i);
                System.arraycopy(values, 0, v, 0, i);
                System.arraycopy(numbers, i + 1, n, i, n.length - i);
                System.arraycopy(values, i + 1, v, i, v.length - i);
                return new IsoMessage(mti, n, v);
            }
            Object[] v = values.clone();
            v[i] = value;
            return new IsoMessage(mti, numbers, v);
        }
        if (value == null) {
            return this;
        }
        int at = -i - 1;
        int[] n = new int[numbers.length + 1];
        Object[] v = new Object[numbers.length + 1];
        System.arraycopy(numbers, 0, n, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        n[at] = number;
        v[at] = value;
        System.arraycopy(numbers, at, n, at + 1, numbers.length - at);
        System.arraycopy(values, at, v, at + 1, values.length - at);
        return new IsoMessage(mti, n, v);
    }

    /** @return how many fields the message has */
    int size() {
        return numbers.length;
    }

    /** @return the field number at an index, ascending */
    int numberAt(int index) {
        return numbers[index];
    }

    /** @return the value at an index */
    Object valueAt(int index) {
        return values[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IsoMessage m && mti.equals(m.mti) && Arrays.equals(numbers, m.numbers)
                && Arrays.equals(values, m.values);
    }

    /** The MTI's hash × 31 + the hash of {@link #fields()}, computed from the arrays. */
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < numbers.length; i++) {
            h += Integer.hashCode(numbers[i]) ^ Objects.hashCode(values[i]);
        }
        return mti.hashCode() * 31 + h;
    }

    /** Field numbers only: values may be sensitive (use {@link Masking} to show them). */
    @Override
    public String toString() {
        return "IsoMessage{" + mti + " " + Arrays.toString(numbers) + "}";
    }

    private static final class Internals extends IsoInternals {
        @Override
        public IsoMessage message(String mti, int[] numbers, Object[] values) {
            return new IsoMessage(mti, numbers, values);
        }

        @Override
        public int size(IsoMessage m) {
            return m.numbers.length;
        }

        @Override
        public int number(IsoMessage m, int index) {
            return m.numbers[index];
        }

        @Override
        public Object value(IsoMessage m, int index) {
            return m.values[index];
        }
    }
}
