package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.Encoding;
import io.fluxrig.iso8583.IsoException;

/** The message type indicator: 4 decimal digits as ASCII, EBCDIC or 2 bytes of BCD. */
final class Mti {
    private Mti() {
    }

    static String read(Encoding e, Input in) throws IsoException {
        if (e == Encoding.ASCII) { // the digits are the text: checked, then one Latin-1 copy
            in.need(IsoException.MTI, "MTI", 4);
            for (int i = 0; i < 4; i++) {
                digit((in.buf[in.pos + i] & 0xFF) - '0', in);
            }
            String s = new String(in.buf, in.pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            in.pos += 4;
            return s;
        }
        char[] d = new char[4];
        if (e == Encoding.BCD) {
            in.need(IsoException.MTI, "MTI", 2);
            for (int i = 0; i < 4; i++) {
                int b = in.buf[in.pos + i / 2];
                d[i] = digit((i & 1) == 0 ? (b >> 4) & 0xF : b & 0xF, in);
            }
            in.pos += 2;
        } else {
            in.need(IsoException.MTI, "MTI", 4);
            int zero = e == Encoding.EBCDIC ? 0xF0 : '0';
            for (int i = 0; i < 4; i++) {
                d[i] = digit((in.buf[in.pos + i] & 0xFF) - zero, in);
            }
            in.pos += 4;
        }
        return new String(d);
    }

    private static char digit(int v, Input in) throws IsoException {
        if (v < 0 || v > 9) {
            throw new IsoException(IsoException.MTI, in.offset(), "not 4 decimal digits");
        }
        return (char) ('0' + v);
    }

    static void write(Encoding e, String mti, ByteSink out) throws IsoException {
        if (mti.length() != 4 || Bcd.check(mti, 0, false) >= 0) {
            throw new IsoException(IsoException.MTI, -1, "must be 4 decimal digits");
        }
        if (e == Encoding.BCD) {
            Bcd.encode(mti, 0, io.fluxrig.iso8583.Nibble.LEFT_0, out);
        } else {
            int zero = e == Encoding.EBCDIC ? 0xF0 : '0';
            for (int i = 0; i < 4; i++) {
                out.write(zero + mti.charAt(i) - '0');
            }
        }
    }
}
