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
     * Writes each char of {@code s} as one byte while it is at most 0xFF, capacity reserved once.
     *
     * @return -1 when all were written, else the index of the first char above 0xFF (nothing
     *     written from there on)
     */
    int writeLatin1(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                return i;
            }
            buf[size++] = (byte) c;
        }
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
