package io.fluxrig.msg;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The order of text map keys in deterministic CBOR (RFC 8949 §4.2.1): bytewise on the encoded
 * key, which for text keys means shorter UTF-8 length first, then unsigned bytewise UTF-8.
 * fluxMsg maps iterate in this order, so encoding never sorts.
 */
final class CanonicalKeys implements Comparator<String> {
    static final CanonicalKeys ORDER = new CanonicalKeys();

    private CanonicalKeys() {
    }

    @Override
    public int compare(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        if (isAscii(a) && isAscii(b)) {
            // Fast path: for ASCII, UTF-8 length == length() and bytes == chars.
            int byLength = Integer.compare(a.length(), b.length());
            return byLength != 0 ? byLength : a.compareTo(b);
        }
        byte[] ea = a.getBytes(StandardCharsets.UTF_8);
        byte[] eb = b.getBytes(StandardCharsets.UTF_8);
        int byLength = Integer.compare(ea.length, eb.length);
        return byLength != 0 ? byLength : java.util.Arrays.compareUnsigned(ea, eb);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
