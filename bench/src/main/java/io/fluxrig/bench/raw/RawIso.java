package io.fluxrig.bench.raw;

import java.nio.charset.StandardCharsets;

/**
 * The smallest ISO 8583 (iso87ascii: ASCII MTI, hex-ASCII bitmaps, ASCII lengths) reader and
 * writer the raw topology needs: field lengths by number for fields 2..128, values as strings,
 * nothing validated beyond the framing. It stands for what a switch written by hand does, so it
 * uses nothing of fluxrig. Stateless; a decoded message is a plain array indexed by field.
 */
final class RawIso {
    /** Length of each fixed field, or -2 (LLVAR) / -3 (LLLVAR); 0 = not used by this table. */
    private static final int[] LEN = new int[129];

    static {
        int[][] fixed = {{3, 6}, {4, 12}, {5, 12}, {6, 12}, {7, 10}, {8, 8}, {9, 8}, {10, 8}, {11, 6}, {12, 6}, {13, 4},
            {14, 4}, {15, 4}, {16, 4}, {17, 4}, {18, 4}, {19, 3}, {20, 3}, {21, 3}, {22, 3}, {23, 3}, {24, 3}, {25, 2},
            {26, 2}, {27, 1}, {28, 9}, {29, 9}, {30, 9}, {31, 9}, {37, 12}, {38, 6}, {39, 2}, {40, 3}, {41, 8}, {42, 15},
            {43, 40}, {49, 3}, {50, 3}, {51, 3}, {52, 16}, {53, 16}, {64, 16}, {70, 3}, {90, 42}, {128, 16}};
        for (int[] f : fixed) {
            LEN[f[0]] = f[1];
        }
        for (int f : new int[] {2, 32, 33, 34, 35, 44, 45}) {
            LEN[f] = -2;
        }
        for (int f : new int[] {36, 46, 47, 48, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 102, 103}) {
            LEN[f] = -3;
        }
    }

    private RawIso() {
    }

    /**
     * @param b one frame (without its length prefix)
     * @return fields by number; index 0 holds the MTI
     * @throws IllegalArgumentException naming the field and offset that cannot be read
     */
    static String[] decode(byte[] b) {
        String[] f = new String[129];
        f[0] = new String(b, 0, 4, StandardCharsets.US_ASCII);
        int pos = 4;
        long primary = Long.parseUnsignedLong(new String(b, pos, 16, StandardCharsets.US_ASCII), 16);
        pos += 16;
        long secondary = 0;
        if (primary < 0) {
            secondary = Long.parseUnsignedLong(new String(b, pos, 16, StandardCharsets.US_ASCII), 16);
            pos += 16;
        }
        for (int n = 2; n <= 128; n++) {
            long map = n <= 64 ? primary : secondary;
            int bit = (n - 1) % 64;
            if ((map & (1L << (63 - bit))) == 0) {
                continue;
            }
            int len = LEN[n];
            if (len == 0) {
                throw new IllegalArgumentException("field " + n + " at offset " + pos + ": not in the raw table");
            }
            if (len < 0) {
                int digits = -len;
                len = Integer.parseInt(new String(b, pos, digits, StandardCharsets.US_ASCII));
                pos += digits;
            }
            if (pos + len > b.length) {
                throw new IllegalArgumentException("field " + n + " at offset " + pos + ": " + len + " bytes past the end");
            }
            f[n] = new String(b, pos, len, StandardCharsets.US_ASCII);
            pos += len;
        }
        return f;
    }

    /**
     * @param f fields by number (index 0 = MTI); null entries are absent; only fields 2..64
     * @return the message bytes preceded by the 2-byte binary length, ready for one write
     */
    static byte[] encodeFramed(String[] f) {
        StringBuilder body = new StringBuilder(256);
        long map = 0;
        for (int n = 2; n <= 64; n++) {
            if (f[n] == null) {
                continue;
            }
            map |= 1L << (64 - n);
            int len = LEN[n];
            if (len == -2) {
                body.append((char) ('0' + f[n].length() / 10)).append((char) ('0' + f[n].length() % 10));
            } else if (len == -3) {
                body.append(f[n].length() / 100).append(f[n].length() / 10 % 10).append(f[n].length() % 10);
            }
            body.append(f[n]);
        }
        String hex = Long.toHexString(map).toUpperCase();
        String head = f[0] + "0".repeat(16 - hex.length()) + hex;
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] t = body.toString().getBytes(StandardCharsets.US_ASCII);
        int n = h.length + t.length;
        byte[] out = new byte[2 + n];
        out[0] = (byte) (n >>> 8);
        out[1] = (byte) n;
        System.arraycopy(h, 0, out, 2, h.length);
        System.arraycopy(t, 0, out, 2 + h.length, t.length);
        return out;
    }
}
