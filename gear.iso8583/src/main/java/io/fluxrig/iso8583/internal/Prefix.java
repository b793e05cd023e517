package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.Encoding;
import io.fluxrig.iso8583.FieldSpec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.LengthType;

/**
 * Length prefixes: ASCII or EBCDIC decimal digits, BCD (1 byte for LL, 2 for LLL and LLLL) or
 * binary big-endian (1 byte for LL, 2 for LLL and LLLL). A prefix counts the value's units
 * (digits, characters or bytes), never wire bytes.
 */
final class Prefix {
    private Prefix() {
    }

    /** @return how many bytes the prefix of this field takes */
    static int size(FieldSpec f) {
        int digits = f.lengthType().digits();
        return switch (f.prefix()) {
            case ASCII, EBCDIC -> digits;
            case BCD -> (digits + 1) / 2;
            default -> f.lengthType() == LengthType.LL ? 1 : 2;
        };
    }

    /** Reads the prefix and checks it against the field maximum. */
    static int read(FieldSpec f, Input in) throws IsoException {
        if (f.prefix() == Encoding.ASCII) { // the common case, without the per-byte dispatch
            int size = f.lengthType().digits();
            if (size <= in.end - in.pos) {
                int value = 0;
                int i = 0;
                for (; i < size; i++) {
                    int d = in.buf[in.pos + i] - '0';
                    if (d < 0 || d > 9) {
                        break;
                    }
                    value = value * 10 + d;
                }
                if (i == size && value <= f.length()) {
                    in.pos += size;
                    return value;
                }
            }
        }
        return readChecked(f, in); // any failure: the general path names it
    }

    private static int readChecked(FieldSpec f, Input in) throws IsoException {
        int at = in.offset();
        String kind = f.lengthType().name();
        int size = size(f);
        if (size > in.remaining()) { // the text is built only on failure
            throw new IsoException(f.number(), at, kind + " prefix needs " + size + " bytes but only " + in.remaining() + " remain");
        }
        int value = 0;
        for (int i = 0; i < size; i++) {
            int b = in.buf[in.pos + i] & 0xFF;
            switch (f.prefix()) {
                case ASCII -> value = decimal(f, at, kind, value, b - '0');
                case EBCDIC -> value = decimal(f, at, kind, value, b - 0xF0);
                case BCD -> value = decimal(f, at, kind, decimal(f, at, kind, value, b >> 4), b & 0xF);
                default -> value = value << 8 | b;
            }
        }
        if (value > f.length()) {
            throw new IsoException(f.number(), at, kind + " length " + value + " exceeds maximum " + f.length());
        }
        in.pos += size;
        return value;
    }

    private static int decimal(FieldSpec f, int at, String kind, int acc, int digit) throws IsoException {
        if (digit < 0 || digit > 9) {
            throw new IsoException(f.number(), at, kind + " prefix is not decimal digits");
        }
        return acc * 10 + digit;
    }

    /** Writes the prefix for a value of {@code units}, already checked against the maximum. */
    static void write(FieldSpec f, int units, ByteSink out) {
        int digits = f.lengthType().digits();
        Encoding e = f.prefix();
        if (e == Encoding.ASCII || e == Encoding.EBCDIC) {
            int zero = e == Encoding.ASCII ? '0' : 0xF0;
            for (int i = digits - 1; i >= 0; i--) {
                out.write(zero + (units / pow10(i)) % 10);
            }
        } else if (e == Encoding.BCD) {
            int nibbles = size(f) * 2;
            for (int i = nibbles - 1; i >= 0; i -= 2) {
                out.write(((units / pow10(i)) % 10) << 4 | (units / pow10(i - 1)) % 10);
            }
        } else if (size(f) == 1) {
            out.write(units);
        } else {
            out.write(units >> 8);
            out.write(units);
        }
    }

    /** 10^n for the digits a prefix has (never changed). */
    private static final int[] POW10 = {1, 10, 100, 1000, 10000, 100000};

    private static int pow10(int n) {
        return n < 0 ? 1 : POW10[n];
    }
}
