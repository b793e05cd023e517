package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.IsoException;

/**
 * A read position in a message being decoded. Offsets in errors count from the first byte of
 * the message, not of the array. Not thread-safe: one per decode call.
 */
final class Input {
    final byte[] buf;
    final int start;
    final int end;
    int pos;

    Input(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
    }

    /** @return the offset of the read position from the start of the message */
    int offset() {
        return pos - start;
    }

    int remaining() {
        return end - pos;
    }

    /**
     * @param field the part being read
     * @param what what is being read, e.g. "LL prefix"
     * @param n how many bytes it needs
     * @throws IsoException when fewer are left
     */
    void need(int field, String what, int n) throws IsoException {
        if (n > end - pos) {
            throw new IsoException(field, offset(), what + " needs " + n + " bytes but only " + (end - pos) + " remain");
        }
    }
}
