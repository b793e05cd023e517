package io.fluxrig.iso8583;

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
 */
public final class IsoMessage {
    private final String mti;
    private final SortedMap<Integer, Object> fields;

    /**
     * @param mti the message type indicator, 4 digits
     * @param fields the values by field number (copied)
     */
    public IsoMessage(String mti, Map<Integer, ?> fields) {
        this.mti = Objects.requireNonNull(mti, "mti");
        this.fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
    }

    /** @return the message type indicator */
    public String mti() {
        return mti;
    }

    /** @return the values by field number, ascending, immutable */
    public SortedMap<Integer, Object> fields() {
        return fields;
    }

    /**
     * @param number a field number
     * @return its value, or null when absent
     */
    public Object get(int number) {
        return fields.get(number);
    }

    /**
     * @param number a field number
     * @param value the new value, or null to remove the field
     * @return a copy with the change
     */
    public IsoMessage with(int number, Object value) {
        TreeMap<Integer, Object> copy = new TreeMap<>(fields);
        if (value == null) {
            copy.remove(number);
        } else {
            copy.put(number, value);
        }
        return new IsoMessage(mti, copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IsoMessage m && mti.equals(m.mti) && fields.equals(m.fields);
    }

    @Override
    public int hashCode() {
        return mti.hashCode() * 31 + fields.hashCode();
    }

    /** Field numbers only: values may be sensitive (use {@link Masking} to show them). */
    @Override
    public String toString() {
        return "IsoMessage{" + mti + " " + fields.keySet() + "}";
    }
}
