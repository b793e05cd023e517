package io.fluxrig.iso8583.internal;

import java.nio.charset.Charset;

/**
 * The single-byte character tables: ISO-8859-1 for "ASCII" (every byte value maps to one char and
 * back, so arbitrary bytes in a text field survive a round trip) and IBM-1047 for EBCDIC, whose
 * 256 code points are also a bijection onto U+0000..U+00FF. Tables are built once and never
 * change.
 */
final class Charsets {
    /** EBCDIC byte to char, or null when the JVM lacks IBM1047 (a trimmed runtime). */
    private static final char[] EBCDIC_TO_CHAR = ebcdicTable();
    /** char (0..255) to EBCDIC byte, -1 when unmapped. */
    private static final int[] CHAR_TO_EBCDIC = reverse(EBCDIC_TO_CHAR);

    private Charsets() {
    }

    private static char[] ebcdicTable() {
        if (!Charset.isSupported("IBM1047")) {
            return null;
        }
        Charset cs = Charset.forName("IBM1047");
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        String s = new String(all, cs);
        return s.length() == 256 ? s.toCharArray() : null;
    }

    private static int[] reverse(char[] table) {
        int[] r = new int[256];
        java.util.Arrays.fill(r, -1);
        if (table != null) {
            for (int i = 0; i < 256; i++) {
                if (table[i] < 256) {
                    r[table[i]] = i;
                }
            }
        }
        return r;
    }

    static boolean ebcdicAvailable() {
        return EBCDIC_TO_CHAR != null;
    }

    /** @return the char for an EBCDIC byte */
    static char fromEbcdic(byte b) {
        return EBCDIC_TO_CHAR[b & 0xFF];
    }

    /** @return the EBCDIC byte for a char, or -1 when it has none */
    static int toEbcdic(char c) {
        return c < 256 ? CHAR_TO_EBCDIC[c] : -1;
    }
}
