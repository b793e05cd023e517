package io.fluxrig.iso8583;

import java.util.Locale;

/**
 * How a field's content, its length prefix, the MTI or the bitmap is written on the wire.
 * {@code ASCII} is one byte per character in ISO-8859-1 (so every byte value survives a
 * round trip), {@code EBCDIC} is IBM code page 1047, {@code BCD} two digits per byte,
 * {@code BINARY} the bytes themselves, {@code HEX} two upper-case ASCII hex digits per byte.
 */
public enum Encoding {
    /** One byte per character (ISO-8859-1). */
    ASCII,
    /** One byte per character, IBM-1047. */
    EBCDIC,
    /** Packed BCD: two digits per byte. */
    BCD,
    /** Raw bytes (a binary length prefix is big-endian: 1 byte for LL, 2 for LLL and LLLL). */
    BINARY,
    /** Two upper-case ASCII hex digits per byte. */
    HEX;

    /** @return the name used in spec files */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param code a spec-file name
     * @return the encoding, or null when unknown
     */
    public static Encoding of(String code) {
        for (Encoding e : values()) {
            if (e.code().equals(code)) {
                return e;
            }
        }
        return null;
    }
}
