package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.ContentType;
import io.fluxrig.iso8583.Encoding;
import io.fluxrig.iso8583.FieldSpec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.Padding;
import io.fluxrig.msg.Bytes;
import java.util.List;

/**
 * Writes one field: checks the value against the spec (type, length, characters), fills a short
 * fixed value as declared, then writes prefix and content. Errors name the field and never
 * contain the value (it may be a card number).
 */
final class FieldEncoder {
    private FieldEncoder() {
    }

    static void encode(FieldSpec f, Object value, ByteSink out) throws IsoException {
        if (f.type() == ContentType.B) {
            if (value instanceof TlvList t && f.tlv()) {
                // Decoded TLV: its kept bytes are exactly what BerTlv.encode would write.
                byte[] b = t.bytes();
                checkLength(f, b.length);
                Prefix.write(f, b.length, out);
                out.write(b, 0, b.length);
                return;
            }
            writeBytes(f, toBytes(f, value), out);
        } else {
            writeText(f, toText(f, value), out);
        }
    }

    /**
     * @return the wire size of the field when the value is well formed (prefix included), an
     *     estimate otherwise; used only to size the output, so it never fails
     */
    static int sizeHint(FieldSpec f, Object value) {
        int prefix = f.isVariable() ? Prefix.size(f) : 0;
        int units;
        if (value instanceof TlvList t && f.tlv()) {
            return prefix + t.bytes().length;
        } else if (value instanceof String s) {
            units = f.type() == ContentType.B ? s.length() / 2 : f.isVariable() ? s.length() : Math.max(s.length(), f.length());
        } else if (value instanceof Bytes b) {
            units = b.length();
        } else {
            return prefix + 32; // a number or a list of tag maps: the sink grows if needed
        }
        // Clamped to the maximum: a longer value is rejected before anything is written.
        return prefix + FieldDecoder.wireSize(f, Math.min(units, f.length()));
    }

    private static String toText(FieldSpec f, Object value) throws IsoException {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Long l && f.type() == ContentType.N && l >= 0) {
            return Long.toString(l);
        }
        throw new IsoException(f.number(), -1, "expected text for " + f.type().code() + " but got "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    private static Bytes toBytes(FieldSpec f, Object value) throws IsoException {
        if (value instanceof Bytes b) {
            return b;
        }
        if (value instanceof String s) {
            byte[] parsed = Hex.parse(s);
            if (parsed == null) {
                throw new IsoException(f.number(), -1, "text for a binary field must be hex digits");
            }
            return Bytes.of(parsed);
        }
        if (value instanceof List<?> tags && f.tlv()) {
            return Bytes.of(BerTlv.encode(tags, f.number()));
        }
        throw new IsoException(f.number(), -1, "expected bytes" + (f.tlv() ? " or a TLV list" : "") + " but got "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    private static int checkLength(FieldSpec f, int units) throws IsoException {
        if (units > f.length()) {
            throw new IsoException(f.number(), -1, "length " + units + " exceeds " + (f.isVariable() ? "maximum " : "fixed length ") + f.length());
        }
        return units;
    }

    private static void writeText(FieldSpec f, String s, ByteSink out) throws IsoException {
        checkLength(f, s.length());
        if (!f.isVariable() && s.length() < f.length()) {
            if (f.padding() == Padding.NONE) {
                throw new IsoException(f.number(), -1, "length " + s.length() + " is shorter than the fixed length " + f.length());
            }
            String fill = (f.padding() == Padding.ZEROS_LEFT ? "0" : " ").repeat(f.length() - s.length());
            s = f.padding() == Padding.ZEROS_LEFT ? fill + s : s + fill;
        }
        if (f.encoding() == Encoding.BCD) {
            int from = f.type() == ContentType.XN && !s.isEmpty() ? 1 : 0;
            if (from == 1 && s.charAt(0) > 0xFF) {
                throw new IsoException(f.number(), -1, "the sign character is not a single byte");
            }
            int bad = Bcd.check(s, from, f.type() == ContentType.Z);
            if (bad >= 0) {
                throw new IsoException(f.number(), -1, "character at position " + (bad + 1) + " cannot be packed as BCD");
            }
            if (f.isVariable()) {
                Prefix.write(f, s.length(), out);
            }
            if (from == 1) {
                out.write(s.charAt(0));
            }
            Bcd.encode(s, from, f.nibble(), out);
            return;
        }
        if (f.isVariable()) {
            Prefix.write(f, s.length(), out);
        }
        if (f.encoding() != Encoding.EBCDIC) {
            int bad = out.writeLatin1(s);
            if (bad >= 0) {
                throw new IsoException(f.number(), -1, "character at position " + (bad + 1) + " has no "
                        + f.encoding().code() + " byte");
            }
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int b = f.encoding() == Encoding.EBCDIC ? Charsets.toEbcdic(c) : c <= 0xFF ? c : -1;
            if (b < 0) {
                throw new IsoException(f.number(), -1, "character at position " + (i + 1) + " has no "
                        + f.encoding().code() + " byte");
            }
            out.write(b);
        }
    }

    private static void writeBytes(FieldSpec f, Bytes b, ByteSink out) throws IsoException {
        checkLength(f, b.length());
        if (!f.isVariable() && b.length() != f.length()) {
            throw new IsoException(f.number(), -1, "length " + b.length() + " is shorter than the fixed length " + f.length());
        }
        if (f.isVariable()) {
            Prefix.write(f, b.length(), out);
        }
        if (f.encoding() == Encoding.HEX) {
            for (int i = 0; i < b.length(); i++) {
                byte x = b.get(i);
                out.write(Hex.digit(x >> 4));
                out.write(Hex.digit(x));
            }
        } else {
            out.write(b);
        }
    }
}
