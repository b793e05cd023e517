package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.Nibble;

/**
 * Packed BCD digits with the spare nibble of an odd count placed and valued by a {@link Nibble}
 * rule. Track 2 ({@code z}) also carries {@code =} as nibble D. Decoding is strict (digit
 * nibbles 0-9, the pad nibble exactly as declared) so that encode reproduces the input.
 */
final class Bcd {
    private Bcd() {
    }

    /** @return bytes needed for {@code digits} digits */
    static int size(int digits) {
        return (digits + 1) / 2;
    }

    static String decode(Input in, int field, int digits, Nibble pad, boolean track) throws IsoException {
        int bytes = size(digits);
        int nibbles = bytes * 2;
        int padAt = nibbles == digits ? -1 : pad.left() ? 0 : nibbles - 1;
        char[] out = new char[digits];
        int n = 0;
        for (int i = 0; i < nibbles; i++) {
            int b = in.buf[in.pos + i / 2];
            int v = (i & 1) == 0 ? (b >> 4) & 0xF : b & 0xF;
            if (i == padAt) {
                if (v != pad.value()) {
                    throw new IsoException(field, in.offset() + i / 2, "BCD pad nibble 0x" + Hex.digit(v)
                            + " where 0x" + Hex.digit(pad.value()) + " is declared");
                }
            } else if (v <= 9) {
                out[n++] = (char) ('0' + v);
            } else if (track && v == 0xD) {
                out[n++] = '=';
            } else {
                throw new IsoException(field, in.offset() + i / 2, "invalid BCD nibble 0x" + Hex.digit(v));
            }
        }
        in.pos += bytes;
        return new String(out);
    }

    /** @param text digits (and {@code =} when track), already checked by {@link #check} */
    static void encode(CharSequence text, int from, Nibble pad, ByteSink out) {
        int digits = text.length() - from;
        int nibbles = size(digits) * 2;
        int padAt = nibbles == digits ? -1 : pad.left() ? 0 : nibbles - 1;
        int k = from;
        int hi = 0;
        for (int i = 0; i < nibbles; i++) {
            int v;
            if (i == padAt) {
                v = pad.value();
            } else {
                char c = text.charAt(k++);
                v = c == '=' ? 0xD : c - '0';
            }
            if ((i & 1) == 0) {
                hi = v;
            } else {
                out.write(hi << 4 | v);
            }
        }
    }

    /** @return the index of the first character that cannot be BCD, or -1 */
    static int check(CharSequence text, int from, boolean track) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(track && c == '=')) {
                return i;
            }
        }
        return -1;
    }
}
