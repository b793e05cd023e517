package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.IsoException;
import io.fluxrig.msg.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * BER-TLV as EMV uses it in DE 55: a flat list of data objects, each a map with {@code tag}
 * (upper-case hex, as on the wire), {@code value} (bytes; a constructed object's value is kept
 * as bytes, not parsed) and, only when the sender used a longer length form than needed,
 * {@code length_bytes} (how many bytes the length took), so re-encoding is byte-exact. Unknown
 * tags are kept like any other.
 */
public final class BerTlv {
    /** Key of the tag in a data object map. */
    public static final String TAG = "tag";
    /** Key of the value in a data object map. */
    public static final String VALUE = "value";
    /** Key of the non-minimal length form, present only when needed. */
    public static final String LENGTH_BYTES = "length_bytes";

    private static final int MAX_TAG_BYTES = 4;
    private static final int MAX_LENGTH_BYTES = 3;

    private BerTlv() {
    }

    /**
     * @param buf the message
     * @param pos where the TLV bytes start
     * @param end where they end
     * @param field the field number, for errors
     * @param base the message start, for error offsets
     * @return the data objects in order (a {@link TlvList}: the field's bytes, checked, with where
     *     each object starts; maps are made when read)
     * @throws IsoException on a truncated tag, length or value, or an unsupported length form
     */
    static List<Map<String, Object>> decode(byte[] buf, int pos, int end, int field, int base) throws IsoException {
        // One pass that checks every object and records where each starts (relative to the
        // field), in an array sized for objects of about 8 bytes (EMV data objects average 8-10)
        // and doubled when they are smaller; an object takes at least 2 bytes, so the array
        // stays proportional to the input.
        int from = pos;
        int[] starts = new int[(end - pos) / 8 + 1];
        int count = 0;
        while (pos < end) {
            int tagStart = pos;
            if ((buf[pos++] & 0x1F) == 0x1F) {
                do {
                    if (pos >= end || pos - tagStart >= MAX_TAG_BYTES) {
                        throw new IsoException(field, pos - base, pos >= end ? "truncated TLV: tag cut short"
                                : "TLV tag longer than " + MAX_TAG_BYTES + " bytes");
                    }
                } while ((buf[pos++] & 0x80) != 0);
            }
            int tagEnd = pos;
            if (pos >= end) {
                throw new IsoException(field, pos - base, "truncated TLV: tag " + Hex.of(buf, tagStart, tagEnd - tagStart)
                        + " has no length");
            }
            int first = buf[pos++] & 0xFF;
            int length = first;
            if (first >= 0x80) {
                int n = first & 0x7F;
                if (n == 0 || n > MAX_LENGTH_BYTES) {
                    throw new IsoException(field, pos - 1 - base, "TLV tag " + Hex.of(buf, tagStart, tagEnd - tagStart)
                            + ": unsupported length form 0x" + Hex.of(new byte[] {(byte) first}));
                }
                if (n > end - pos) {
                    throw new IsoException(field, pos - base, "truncated TLV: length of tag "
                            + Hex.of(buf, tagStart, tagEnd - tagStart) + " cut short");
                }
                length = 0;
                for (int i = 0; i < n; i++) {
                    length = length << 8 | (buf[pos++] & 0xFF);
                }
            }
            if (length > end - pos) {
                throw new IsoException(field, pos - base, "truncated TLV: tag " + Hex.of(buf, tagStart, tagEnd - tagStart)
                        + " length " + length + " exceeds the " + (end - pos) + " bytes left");
            }
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = tagStart - from;
            pos += length;
        }
        return new TlvList(java.util.Arrays.copyOfRange(buf, from, end), starts, count);
    }

    static int minimalLengthBytes(int length) {
        return length < 0x80 ? 1 : length <= 0xFF ? 2 : length <= 0xFFFF ? 3 : 4;
    }

    /**
     * @param objects maps with {@code tag} (hex text), {@code value} (bytes or hex text) and an
     *     optional {@code length_bytes}
     * @param field the field number, for errors
     * @return the TLV bytes
     * @throws IsoException naming the index of a malformed data object
     */
    static byte[] encode(List<?> objects, int field) throws IsoException {
        ByteSink out = new ByteSink(64);
        for (int i = 0; i < objects.size(); i++) {
            if (!(objects.get(i) instanceof Map<?, ?> obj)) {
                throw new IsoException(field, -1, "TLV item " + i + " is not a map with tag and value");
            }
            byte[] tag = obj.get(TAG) instanceof String t ? Hex.parse(t) : null;
            if (tag == null || !isOneTag(tag)) {
                throw new IsoException(field, -1, "TLV item " + i + ": tag must be the hex of one BER tag");
            }
            byte[] value = obj.get(VALUE) instanceof Bytes b ? b.toByteArray()
                    : obj.get(VALUE) instanceof String s ? Hex.parse(s) : null;
            if (value == null) {
                throw new IsoException(field, -1, "TLV item " + i + " (tag " + Hex.of(tag) + "): value must be bytes or hex");
            }
            int lengthBytes = minimalLengthBytes(value.length);
            Object lb = obj.get(LENGTH_BYTES);
            if (lb != null) {
                if (!(lb instanceof Number n) || n.longValue() < lengthBytes || n.longValue() > 1 + MAX_LENGTH_BYTES) {
                    throw new IsoException(field, -1, "TLV item " + i + " (tag " + Hex.of(tag) + "): length_bytes must be "
                            + lengthBytes + ".." + (1 + MAX_LENGTH_BYTES));
                }
                lengthBytes = n.intValue();
            }
            out.write(tag, 0, tag.length);
            if (lengthBytes == 1) {
                out.write(value.length);
            } else {
                out.write(0x80 | (lengthBytes - 1));
                for (int k = lengthBytes - 2; k >= 0; k--) {
                    out.write(value.length >> (8 * k));
                }
            }
            out.write(value, 0, value.length);
        }
        return out.toByteArray();
    }

    private static boolean isOneTag(byte[] tag) {
        if (tag.length == 0 || tag.length > MAX_TAG_BYTES) {
            return false;
        }
        if ((tag[0] & 0x1F) != 0x1F) {
            return tag.length == 1;
        }
        for (int i = 1; i < tag.length; i++) {
            boolean more = (tag[i] & 0x80) != 0;
            if (more == (i == tag.length - 1)) {
                return false;
            }
        }
        return tag.length > 1;
    }
}
