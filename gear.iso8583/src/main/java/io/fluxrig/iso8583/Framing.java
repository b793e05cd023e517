package io.fluxrig.iso8583;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * How ISO 8583 messages are delimited on a TCP stream: a length prefix, then optionally a fixed
 * header (a TPDU, for example), then the message. The length counts the header and the message,
 * not the prefix itself, as jPOS's channels do.
 *
 * <ul>
 * <li>{@link #BINARY2}: 2 bytes, unsigned big-endian (jPOS {@code NACChannel}, {@code PostChannel};
 *     at most 65535).</li>
 * <li>{@link #ASCII4}: 4 ASCII decimal digits (jPOS {@code ASCIIChannel}; at most 9999).</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; the stream methods block on the caller's thread and leave the
 * stream open (the caller owns it).
 */
public enum Framing {
    /** 2-byte big-endian binary length. */
    BINARY2("binary2", 2, 0xFFFF),
    /** 4-digit ASCII decimal length. */
    ASCII4("ascii4", 4, 9999);

    private final String id;
    private final int prefixBytes;
    private final int maxLength;

    Framing(String id, int prefixBytes, int maxLength) {
        this.id = id;
        this.prefixBytes = prefixBytes;
        this.maxLength = maxLength;
    }

    /**
     * @param id {@code binary2} or {@code ascii4}
     * @return the framing
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Framing of(String id) {
        for (Framing f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("framing '" + id + "' is not binary2 or ascii4");
    }

    /** @return the configuration name, {@code binary2} or {@code ascii4} */
    public String id() {
        return id;
    }

    /** @return the prefix size in bytes */
    public int prefixBytes() {
        return prefixBytes;
    }

    /** @return the largest length the prefix can express */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Parses a prefix.
     *
     * @param src the bytes
     * @param off where the prefix starts
     * @return the length it announces
     * @throws FramingException when an ASCII prefix holds anything but digits
     */
    public int parseLength(byte[] src, int off) throws FramingException {
        if (this == BINARY2) {
            return (src[off] & 0xFF) << 8 | src[off + 1] & 0xFF;
        }
        int n = 0;
        for (int i = 0; i < 4; i++) {
            int d = src[off + i] - '0';
            if (d < 0 || d > 9) {
                StringBuilder hex = new StringBuilder();
                for (int j = 0; j < 4; j++) {
                    hex.append(String.format("%02X", src[off + j] & 0xFF));
                }
                throw new FramingException("malformed length prefix " + hex + " (hex): not 4 ASCII digits");
            }
            n = n * 10 + d;
        }
        return n;
    }

    /**
     * Checks an announced length against the limits of one connection.
     *
     * @param length the announced length (header + message)
     * @param headerBytes the fixed header size
     * @param maxFrameBytes the configured maximum
     * @throws FramingException for a zero length, one below the header size, or one above the maximum
     */
    public static void checkLength(int length, int headerBytes, int maxFrameBytes) throws FramingException {
        if (length == 0) {
            throw new FramingException("zero-length frame");
        }
        if (length > maxFrameBytes) {
            throw new FramingException("frame length " + length + " exceeds max.frame.bytes " + maxFrameBytes);
        }
        if (length <= headerBytes) {
            throw new FramingException("frame length " + length + " leaves no message after the " + headerBytes + "-byte header");
        }
    }

    /**
     * Builds one frame: prefix, header, message.
     *
     * @param header the header bytes (empty for none)
     * @param message the message bytes
     * @return the frame
     * @throws IllegalArgumentException when header + message do not fit the prefix
     */
    public byte[] frame(byte[] header, byte[] message) {
        int length = header.length + message.length;
        if (length > maxLength) {
            throw new IllegalArgumentException(id + " framing: length " + length + " exceeds " + maxLength);
        }
        byte[] out = new byte[prefixBytes + length];
        if (this == BINARY2) {
            out[0] = (byte) (length >>> 8);
            out[1] = (byte) length;
        } else {
            for (int i = 3, n = length; i >= 0; i--, n /= 10) {
                out[i] = (byte) ('0' + n % 10);
            }
        }
        System.arraycopy(header, 0, out, prefixBytes, header.length);
        System.arraycopy(message, 0, out, prefixBytes + header.length, message.length);
        return out;
    }

    /**
     * Reads one frame with no time limit (the caller sets a socket timeout if it wants one).
     *
     * @param in the stream
     * @param headerBytes the fixed header size
     * @param maxFrameBytes the largest length accepted
     * @return header + message (without the prefix), or null at a clean end of stream before a prefix
     * @throws FramingException for a bad prefix or length
     * @throws IOException when the stream fails or ends inside a frame
     */
    public byte[] read(InputStream in, int headerBytes, int maxFrameBytes) throws IOException {
        byte[] prefix = new byte[prefixBytes];
        int first = in.read();
        if (first < 0) {
            return null;
        }
        prefix[0] = (byte) first;
        readFully(in, prefix, 1, prefixBytes - 1);
        int length = parseLength(prefix, 0);
        checkLength(length, headerBytes, maxFrameBytes);
        byte[] frame = new byte[length];
        readFully(in, frame, 0, length);
        return frame;
    }

    private static void readFully(InputStream in, byte[] dst, int off, int len) throws IOException {
        int n = in.readNBytes(dst, off, len);
        if (n < len) {
            throw new EOFException("stream ended inside a frame (" + (off + n) + " of " + (off + len) + " bytes)");
        }
    }
}
