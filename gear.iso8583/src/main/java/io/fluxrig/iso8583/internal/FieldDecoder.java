package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.ContentType;
import io.fluxrig.iso8583.FieldSpec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.msg.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * Reads one field's value at the input position: prefix, then content. Every length is checked
 * against the field maximum and the bytes left before anything is allocated, so memory stays
 * proportional to the input.
 */
final class FieldDecoder {
    private FieldDecoder() {
    }

    /** @return how many wire bytes a value of {@code units} takes */
    static int wireSize(FieldSpec f, int units) {
        return switch (f.encoding()) {
            case BCD -> f.type() == ContentType.XN ? 1 + units / 2 : Bcd.size(units);
            case HEX -> units * 2;
            default -> units;
        };
    }

    static Object decode(FieldSpec f, Input in) throws IsoException {
        int units = f.isVariable() ? Prefix.read(f, in) : f.length();
        int size = wireSize(f, units);
        if (size > in.remaining()) { // the text is built only on failure: this runs for every field
            throw new IsoException(f.number(), in.offset(), (f.isVariable() ? "length " : "fixed length ") + units + " needs "
                    + size + " bytes but only " + in.remaining() + " remain");
        }
        if (f.type() == ContentType.B) {
            return bytes(f, in, units, size);
        }
        return switch (f.encoding()) {
            case BCD -> bcd(f, in, units);
            case EBCDIC -> ebcdic(f, in, units);
            default -> {
                String s = new String(in.buf, in.pos, units, StandardCharsets.ISO_8859_1);
                in.pos += units;
                yield s;
            }
        };
    }

    private static String bcd(FieldSpec f, Input in, int units) throws IsoException {
        if (f.type() != ContentType.XN) {
            return Bcd.decode(in, f.number(), units, f.nibble(), f.type() == ContentType.Z);
        }
        if (units == 0) {
            return "";
        }
        char sign = (char) (in.buf[in.pos++] & 0xFF);
        return sign + Bcd.decode(in, f.number(), units - 1, f.nibble(), false);
    }

    private static String ebcdic(FieldSpec f, Input in, int units) throws IsoException {
        if (!Charsets.ebcdicAvailable()) {
            throw new IsoException(f.number(), in.offset(), "EBCDIC (IBM1047) is not available in this JVM");
        }
        char[] out = new char[units];
        for (int i = 0; i < units; i++) {
            out[i] = Charsets.fromEbcdic(in.buf[in.pos + i]);
        }
        in.pos += units;
        return new String(out);
    }

    private static Object bytes(FieldSpec f, Input in, int units, int size) throws IsoException {
        byte[] out;
        if (f.encoding() == io.fluxrig.iso8583.Encoding.HEX) {
            out = new byte[units];
            for (int i = 0; i < size; i++) {
                int d = Hex.upperDigit(in.buf[in.pos + i] & 0xFF);
                if (d < 0) {
                    throw new IsoException(f.number(), in.offset() + i, "byte 0x"
                            + Hex.of(new byte[] {in.buf[in.pos + i]}) + " is not an upper-case hex digit");
                }
                out[i / 2] |= (byte) ((i & 1) == 0 ? d << 4 : d);
            }
        } else if (f.tlv()) {
            Object tags = BerTlv.decode(in.buf, in.pos, in.pos + size, f.number(), in.start);
            in.pos += size;
            return tags;
        } else {
            Bytes b = Bytes.of(in.buf, in.pos, size);
            in.pos += size;
            return b;
        }
        in.pos += size;
        return Bytes.of(out);
    }
}
