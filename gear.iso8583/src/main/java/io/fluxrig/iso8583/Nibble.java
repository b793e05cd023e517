package io.fluxrig.iso8583;

import java.util.Locale;

/**
 * Where the spare half byte of an odd number of BCD digits goes and what it holds. Decoding
 * refuses any other nibble value there, because it could not be re-encoded bit for bit.
 */
public enum Nibble {
    /** A leading 0 nibble (the default; jPOS fixed BCD numerics). */
    LEFT_0(true, 0),
    /** A trailing 0 nibble (jPOS IFB_LLNUM). */
    RIGHT_0(false, 0),
    /** A leading F nibble. */
    LEFT_F(true, 0xF),
    /** A trailing F nibble (common for track 2 in host specs). */
    RIGHT_F(false, 0xF);

    private final boolean left;
    private final int value;

    Nibble(boolean left, int value) {
        this.left = left;
        this.value = value;
    }

    /** @return true when the pad nibble comes first */
    public boolean left() {
        return left;
    }

    /** @return the pad nibble value (0 or 15) */
    public int value() {
        return value;
    }

    /** @return the name used in spec files ({@code left-0}) */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param code a spec-file name, case-insensitive in the hex digit
     * @return the nibble rule, or null when unknown
     */
    public static Nibble of(String code) {
        for (Nibble n : values()) {
            if (n.code().equalsIgnoreCase(code)) {
                return n;
            }
        }
        return null;
    }
}
