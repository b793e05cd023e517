package io.fluxrig.msg;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string: how fluxMsg holds binary values ({@code raw}, and byte values in
 * {@code data}). {@link #toByteArray()} copies; {@link #get(int)} and {@link #length()} do not.
 */
public final class Bytes implements Comparable<Bytes> {
    /** The empty byte string. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;

    private Bytes(byte[] owned) {
        this.bytes = owned;
    }

    /**
     * @param bytes the bytes to copy
     * @return an immutable copy
     */
    public static Bytes of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /**
     * @param bytes the source
     * @param offset first byte
     * @param length how many bytes
     * @return an immutable copy of the range
     */
    public static Bytes of(byte[] bytes, int offset, int length) {
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /**
     * @param hex hexadecimal digits, upper or lower case, even count
     * @return the bytes
     * @throws IllegalArgumentException if the text is not hexadecimal
     */
    public static Bytes fromHex(String hex) {
        return new Bytes(HexFormat.of().parseHex(hex));
    }

    /** @return the number of bytes */
    public int length() {
        return bytes.length;
    }

    /**
     * @param index position
     * @return the byte at that position
     */
    public byte get(int index) {
        return bytes[index];
    }

    /** @return a copy of the bytes */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /**
     * The array itself, not a copy, for the encoder (through {@code MsgInternals}), which writes
     * it straight into its output buffer. Nothing may modify it.
     */
    byte[] array() {
        return bytes;
    }

    /** @return lower-case hexadecimal */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Copies the bytes into a destination array (no allocation).
     *
     * @param dest destination
     * @param destPos where in the destination
     */
    public void copyTo(byte[] dest, int destPos) {
        System.arraycopy(bytes, 0, dest, destPos, bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return "h'" + toHex() + "'";
    }
}
