package io.fluxrig.msg.cbor;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one encoded envelope that reads CBOR heads strictly: shortest forms only, no
 * indefinite lengths, no reserved values, and no declared length beyond the bytes that remain.
 * Offsets in errors are relative to the start of the envelope. Not thread-safe: one per decode.
 */
final class CborInput {
    static final int UINT = 0;
    static final int NINT = 1;
    static final int BYTES = 2;
    static final int TEXT = 3;
    static final int ARRAY = 4;
    static final int MAP = 5;
    static final int TAG = 6;
    static final int SIMPLE = 7;
    private static final String[] MAJOR_NAMES = {
        "unsigned integer", "negative integer", "byte string", "text string", "array", "map", "tag",
        "simple value or float"};

    private final byte[] buf;
    private final int base;
    private final int end;
    /** Created on the first non-ASCII text only: most envelopes never need one. */
    private CharsetDecoder utf8;
    private int pos;

    /** Offset (absolute) of the head read last. */
    int itemStart;
    /** Major type of the head read last. */
    int major;
    /** Additional information of the head read last. */
    int info;
    /** Argument of the head read last, unsigned (a negative long means 2^63 or more). */
    long arg;

    CborInput(byte[] buf, int off, int len) {
        this.buf = buf;
        this.base = off;
        this.pos = off;
        this.end = off + len;
    }

    static String majorName(int major) {
        return MAJOR_NAMES[major];
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    byte[] buffer() {
        return buf;
    }

    /** @return a decode error at an absolute buffer position */
    CborException error(int absolute, String reason) {
        return new CborException(absolute - base, reason);
    }

    /** @return a decode error at the head read last */
    CborException error(String reason) {
        return error(itemStart, reason);
    }

    /** Reads one head; afterwards {@link #major}, {@link #info} and {@link #arg} describe it. */
    void readHead() throws CborException {
        itemStart = pos;
        if (pos >= end) {
            throw error(pos, "unexpected end of input");
        }
        int ib = buf[pos++] & 0xff;
        major = ib >>> 5;
        info = ib & 0x1f;
        if (info < 24) {
            arg = info;
            return;
        }
        if (info == 31) {
            throw error(major == SIMPLE ? "unexpected break (ff)"
                    : major >= BYTES && major <= MAP ? "indefinite-length " + majorName(major) + " not allowed"
                    : "invalid additional information 31 for " + majorName(major));
        }
        if (info > 27) {
            throw error("reserved additional information " + info);
        }
        int n = 1 << (info - 24);
        if (end - pos < n) {
            throw error("truncated head: needs " + n + " more bytes, " + (end - pos) + " remain");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        arg = v;
        if (major != SIMPLE && !shortest(n, v)) {
            throw error("non-shortest head: " + Long.toUnsignedString(v) + " encoded in " + (n + 1)
                    + " bytes");
        }
    }

    private static boolean shortest(int n, long v) {
        switch (n) {
            case 1: return v >= 24;
            case 2: return v > 0xffL;
            case 4: return v > 0xffffL;
            default: return Long.compareUnsigned(v, 0xffffffffL) > 0;
        }
    }

    /** Reads a head that must be of the given major type. */
    void expect(int wanted, String what) throws CborException {
        readHead();
        if (major != wanted) {
            throw wrongType(wanted, what);
        }
    }

    /**
     * @return the error {@link #expect} throws; for callers that check the type themselves so
     *     that a computed {@code what} is only built on failure
     */
    CborException wrongType(int wanted, String what) {
        return error(what + " must be a " + majorName(wanted) + ", found " + foundName());
    }

    String foundName() {
        return major == TAG ? "tag " + Long.toUnsignedString(arg) : majorName(major);
    }

    /**
     * Checks the count of the array or map just read against the remaining bytes (every element
     * needs at least one byte), so that no caller sizes anything by an unchecked count.
     *
     * @return the element count (entries for a map)
     */
    int count() throws CborException {
        long perItem = major == MAP ? 2 : 1;
        if (arg < 0 || arg > (end - pos) / perItem) {
            throw error("declared " + majorName(major) + " of " + Long.toUnsignedString(arg)
                    + (major == MAP ? " entries" : " elements") + " exceeds the " + (end - pos)
                    + " bytes remaining");
        }
        return (int) arg;
    }

    /** @return the length of the byte or text string just read, checked against the input */
    int length() throws CborException {
        if (arg < 0 || arg > end - pos) {
            throw error("declared length " + Long.toUnsignedString(arg) + " exceeds the "
                    + (end - pos) + " bytes remaining");
        }
        return (int) arg;
    }

    /** Skips the content of the byte string just read; @return its absolute start position */
    int skipContent() throws CborException {
        int len = length();
        int start = pos;
        pos += len;
        return start;
    }

    /** Reads the content of the text string just read, strictly validated as UTF-8. */
    String text() throws CborException {
        int len = length();
        int start = pos;
        boolean ascii = true;
        for (int i = start; i < start + len && ascii; i++) {
            ascii = buf[i] >= 0;
        }
        pos += len;
        if (ascii) {
            return new String(buf, start, len, StandardCharsets.ISO_8859_1);
        }
        ByteBuffer in = ByteBuffer.wrap(buf, start, len);
        CharBuffer out = CharBuffer.allocate(len);
        if (utf8 == null) {
            utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        utf8.reset();
        CoderResult r = utf8.decode(in, out, true);
        if (!r.isError()) {
            r = utf8.flush(out);
        }
        if (r.isError()) {
            throw error(in.position(), "invalid UTF-8 in text string starting at offset " + (itemStart - base));
        }
        return out.flip().toString();
    }
}
