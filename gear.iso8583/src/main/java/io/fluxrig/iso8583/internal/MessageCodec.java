package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.Encoding;
import io.fluxrig.iso8583.FieldSpec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.iso8583.MessageSpec;

/**
 * Whole messages: MTI, bitmaps, then fields in ascending order. Decoding accepts only what
 * encoding produces (upper-case hex, no empty secondary or tertiary bitmap, no trailing bytes),
 * which is what makes {@code encode(decode(b))} equal {@code b} for every accepted input.
 * Stateless and thread-safe.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /**
     * @param spec the dialect
     * @param buf the bytes
     * @param offset where the message starts
     * @param length how many bytes it has
     * @return the message
     * @throws IsoException naming part, offset and reason
     */
    public static IsoMessage decode(MessageSpec spec, byte[] buf, int offset, int length) throws IsoException {
        Input in = new Input(buf, offset, length);
        String mti = Mti.read(spec.mtiEncoding(), in);
        long[] maps = new long[3];
        int count = 1;
        maps[0] = readBitmap(spec, in);
        if (bit(maps, 1)) {
            int at = in.offset();
            maps[1] = readBitmap(spec, in);
            if (maps[1] == 0) {
                throw new IsoException(IsoException.BITMAP, at, "secondary bitmap announced by bit 1 but empty");
            }
            count = 2;
            if (spec.tertiary() && bit(maps, 65)) {
                at = in.offset();
                maps[2] = readBitmap(spec, in);
                if (maps[2] == 0) {
                    throw new IsoException(IsoException.BITMAP, at, "tertiary bitmap announced by bit 65 but empty");
                }
                count = 3;
            }
        }
        // Exactly sized arrays, filled in ascending order and handed to the message as they are.
        int size = Long.bitCount(maps[0]) + Long.bitCount(maps[1]) + Long.bitCount(maps[2]) - (bit(maps, 1) ? 1 : 0)
                - (count == 3 ? 1 : 0);
        int[] numbers = new int[size];
        Object[] values = new Object[size];
        int i = 0;
        // Only the set bits, in ascending order (the first undefined field is still the one
        // named); bit 1 and, with a tertiary bitmap, bit 65 announce bitmaps, not fields.
        for (int k = 0; k < count; k++) {
            long m = maps[k];
            if (k == 0 || k == 1 && spec.tertiary()) {
                m &= Long.MAX_VALUE;
            }
            while (m != 0) {
                int z = Long.numberOfLeadingZeros(m);
                m &= ~(Long.MIN_VALUE >>> z);
                int n = 64 * k + z + 1;
                FieldSpec f = spec.field(n);
                if (f == null) {
                    throw new IsoException(n, in.offset(), "bit set but dialect " + spec.name() + " does not define the field");
                }
                numbers[i] = n;
                values[i++] = FieldDecoder.decode(f, in);
            }
        }
        if (in.remaining() > 0) {
            throw new IsoException(IsoException.MESSAGE, in.offset(), in.remaining() + " trailing bytes after the last field");
        }
        return IsoInternals.get().message(mti, numbers, values);
    }

    private static boolean bit(long[] maps, int n) {
        int i = n - 1;
        return (maps[i / 64] >>> (63 - i % 64) & 1) != 0;
    }

    private static long readBitmap(MessageSpec spec, Input in) throws IsoException {
        long v = 0;
        if (spec.bitmapEncoding() == Encoding.HEX) {
            in.need(IsoException.BITMAP, "bitmap", 16);
            for (int i = 0; i < 16; i++) {
                int d = Hex.upperDigit(in.buf[in.pos + i] & 0xFF);
                if (d < 0) {
                    throw new IsoException(IsoException.BITMAP, in.offset() + i, "not an upper-case hex digit");
                }
                v = v << 4 | d;
            }
            in.pos += 16;
        } else {
            in.need(IsoException.BITMAP, "bitmap", 8);
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (in.buf[in.pos + i] & 0xFF);
            }
            in.pos += 8;
        }
        return v;
    }

    /**
     * @param spec the dialect
     * @param msg the message
     * @return its bytes
     * @throws IsoException naming the field and the reason
     */
    public static byte[] encode(MessageSpec spec, IsoMessage msg) throws IsoException {
        IsoInternals x = IsoInternals.get();
        int size = x.size(msg);
        long[] maps = new long[3];
        int top = 0;
        for (int i = 0; i < size; i++) {
            int n = x.number(msg, i);
            if (n < 2 || n > spec.maxField() || spec.field(n) == null || n == 65 && spec.tertiary()) {
                throw new IsoException(n, -1, "not a data field of dialect " + spec.name());
            }
            set(maps, n);
            top = Math.max(top, n);
        }
        if (top > 64) {
            set(maps, 1);
        }
        if (top > 128) {
            set(maps, 65);
        }
        // Sized from the values so that a well-formed message is written into exactly its
        // length: no growing and no copy at the end.
        int capacity = (spec.mtiEncoding() == Encoding.BCD ? 2 : 4)
                + (top > 128 ? 3 : top > 64 ? 2 : 1) * (spec.bitmapEncoding() == Encoding.HEX ? 16 : 8);
        for (int i = 0; i < size; i++) {
            capacity += FieldEncoder.sizeHint(spec.field(x.number(msg, i)), x.value(msg, i));
        }
        ByteSink out = new ByteSink(capacity);
        Mti.write(spec.mtiEncoding(), msg.mti(), out);
        int count = top > 128 ? 3 : top > 64 ? 2 : 1;
        for (int i = 0; i < count; i++) {
            writeBitmap(spec, maps[i], out);
        }
        for (int i = 0; i < size; i++) {
            FieldEncoder.encode(spec.field(x.number(msg, i)), x.value(msg, i), out);
        }
        return out.toByteArray();
    }

    private static void set(long[] maps, int n) {
        int i = n - 1;
        maps[i / 64] |= 1L << (63 - i % 64);
    }

    private static void writeBitmap(MessageSpec spec, long v, ByteSink out) {
        if (spec.bitmapEncoding() == Encoding.HEX) {
            for (int i = 15; i >= 0; i--) {
                out.write(Hex.digit((int) (v >>> (4 * i))));
            }
        } else {
            for (int i = 7; i >= 0; i--) {
                out.write((int) (v >>> (8 * i)));
            }
        }
    }
}
