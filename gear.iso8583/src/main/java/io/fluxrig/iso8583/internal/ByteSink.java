package io.fluxrig.iso8583.internal;

import java.util.Arrays;

/** A growable byte buffer for encoding; one per encode call, not thread-safe. */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int initial) {
        buf = new byte[Math.max(16, initial)];
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

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
