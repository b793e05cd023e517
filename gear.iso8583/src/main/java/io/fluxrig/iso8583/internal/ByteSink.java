package io.fluxrig.iso8583.internal;

import java.util.Arrays;

/** A growable byte buffer for encoding; one per encode call, not thread-safe. */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int initial) {
        buf = new byte[Math.max(1, initial)];
    }

    void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void write(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    /**
     * Writes each char of {@code s} as one byte when all are at most 0xFF.
     *
     * @return -1 when all were written, else the index of the first char above 0xFF (then
     *     nothing is written)
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exactly the low byte of each char
    int writeLatin1(String s) {
        int n = s.length();
        // One pass that only reads (no early exit, so it unrolls), then one bulk copy; the
        // char-by-char loop runs only to find the position of a char that has no byte.
        int all = 0;
        for (int i = 0; i < n; i++) {
            all |= s.charAt(i);
        }
        if (all > 0xFF) {
            for (int i = 0; i < n; i++) {
                if (s.charAt(i) > 0xFF) {
                    return i;
                }
            }
        }
        ensure(n);
        s.getBytes(0, n, buf, size);
        size += n;
        return -1;
    }

    /** Writes a value's bytes without the copy {@code toByteArray} would make. */
    void write(io.fluxrig.msg.Bytes b) {
        ensure(b.length());
        b.copyTo(buf, size);
        size += b.length();
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    /** @return the bytes written; the buffer itself when it is exactly full (the sink is not used afterwards) */
    byte[] toByteArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }
}
