package io.fluxrig.iso8583.internal;

/** Upper-case hex, the only form decode accepts, so that encode reproduces the bytes. */
public final class Hex {
    private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

    private Hex() {
    }

    /** @return the value of an upper-case hex digit byte, or -1 */
    static int upperDigit(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        return b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
    }

    /** @return the digit for a nibble */
    static char digit(int nibble) {
        return DIGITS[nibble & 0xF];
    }

    /**
     * @param bytes bytes
     * @return upper-case hex
     */
    public static String of(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /**
     * @param bytes an array
     * @param off first byte
     * @param len how many
     * @return upper-case hex of that range (Latin-1 text, so the string holds one byte per char)
     */
    static String of(byte[] bytes, int off, int len) {
        byte[] out = new byte[len * 2];
        for (int i = 0; i < len; i++) {
            byte b = bytes[off + i];
            out[2 * i] = (byte) DIGITS[(b >> 4) & 0xF];
            out[2 * i + 1] = (byte) DIGITS[b & 0xF];
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * @param text hex digits, either case
     * @return the bytes, or null when the text is not an even number of hex digits
     */
    public static byte[] parse(String text) {
        if ((text.length() & 1) != 0) {
            return null;
        }
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(text.charAt(2 * i), 16);
            int lo = Character.digit(text.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
