package io.fluxrig.iso8583.internal;

import io.fluxrig.msg.Bytes;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Set;

/**
 * A decoded BER-TLV field (DE 55) as the list of data objects {@link BerTlv} describes, kept as
 * the field's bytes plus where each object starts. {@link BerTlv#decode} checks the whole
 * structure before building one, so reading it cannot fail: an object's tag and length are read
 * again, unchecked, when its map is made (on read). Re-encoding writes the kept bytes as they are, which is exactly what
 * {@link BerTlv#encode} of the objects would give (the length form of each object is part of
 * them). Immutable, so thread-safe.
 */
final class TlvList extends AbstractList<Map<String, Object>> implements RandomAccess {
    private final byte[] bytes;
    /** Per object: where its tag starts in {@link #bytes}; entries from {@link #size} on are unused. */
    private final int[] starts;
    private final int size;

    TlvList(byte[] bytes, int[] starts, int size) {
        this.bytes = bytes;
        this.starts = starts;
        this.size = size;
    }

    /** @return the field's bytes (not copied: the caller must not change them) */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Map<String, Object> get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        int tagStart = starts[index];
        int p = tagStart;
        if ((bytes[p++] & 0x1F) == 0x1F) {
            while ((bytes[p++] & 0x80) != 0) {
                // subsequent tag bytes
            }
        }
        int lengthStart = p;
        int length = bytes[p++] & 0xFF;
        if (length >= 0x80) {
            int n = length & 0x7F;
            length = 0;
            for (int i = 0; i < n; i++) {
                length = length << 8 | (bytes[p++] & 0xFF);
            }
        }
        return new TlvObject(bytes, tagStart, lengthStart, p, p + length);
    }

    /** One data object: {@code tag}, {@code value} and, for a longer length form than needed, {@code length_bytes}. */
    private static final class TlvObject extends AbstractMap<String, Object> {
        private final String tag;
        private final Bytes value;
        private final Long lengthBytes;

        TlvObject(byte[] b, int tagStart, int lengthStart, int valueStart, int valueEnd) {
            this.tag = Hex.of(b, tagStart, lengthStart - tagStart);
            this.value = Bytes.of(b, valueStart, valueEnd - valueStart);
            int used = valueStart - lengthStart;
            this.lengthBytes = used == BerTlv.minimalLengthBytes(valueEnd - valueStart) ? null : (long) used;
        }

        @Override
        public Object get(Object key) {
            if (BerTlv.TAG.equals(key)) {
                return tag;
            }
            if (BerTlv.VALUE.equals(key)) {
                return value;
            }
            return BerTlv.LENGTH_BYTES.equals(key) ? lengthBytes : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public int size() {
            return lengthBytes == null ? 2 : 3;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return TlvObject.this.size();
                }

                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            switch (next++) {
                                case 0:
                                    return new SimpleImmutableEntry<>(BerTlv.TAG, tag);
                                case 1:
                                    return new SimpleImmutableEntry<>(BerTlv.VALUE, value);
                                case 2:
                                    if (lengthBytes != null) {
                                        return new SimpleImmutableEntry<>(BerTlv.LENGTH_BYTES, lengthBytes);
                                    }
                                    // fall through: no third entry
                                default:
                                    next--;
                                    throw new NoSuchElementException();
                            }
                        }
                    };
                }
            };
        }
    }
}
