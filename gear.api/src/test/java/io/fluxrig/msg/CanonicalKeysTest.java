package io.fluxrig.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The comparator's fast paths give the order RFC 8949 defines: UTF-8 length, then unsigned bytes. */
class CanonicalKeysTest {
    private static int reference(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        int byLength = Integer.compare(x.length, y.length);
        return byLength != 0 ? byLength : Arrays.compareUnsigned(x, y);
    }

    @Test
    void agreesWithEncodedComparisonOnRandomAsciiAndNonAsciiKeys() {
        Random random = new Random(7);
        char[] alphabet = {'a', 'b', 'z', 'A', '0', '.', '~', 'é', 'ß', '€', '\u0080', '\u07ff', '\uffff', '\ud83d', '\ude00'};
        String[] keys = new String[400];
        for (int i = 0; i < keys.length; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(6);
            for (int j = 0; j < n; j++) {
                // mostly ASCII, as real keys are; a surrogate pair is kept whole
                char c = random.nextInt(4) == 0 ? alphabet[7 + random.nextInt(6)] : alphabet[random.nextInt(7)];
                b.append(c);
            }
            if (random.nextInt(10) == 0) {
                b.append("\ud83d\ude00");
            }
            keys[i] = b.toString();
        }
        for (String a : keys) {
            for (String b : keys) {
                assertEquals(Integer.signum(reference(a, b)), Integer.signum(CanonicalKeys.ORDER.compare(a, b)), a + " vs " + b);
            }
        }
    }

    @Test
    void shorterUtf8ComesFirstEvenWhenItHasMoreChars() {
        // "aaa" is 3 bytes, "é" 2 bytes, "€" 3 bytes: the char count is not the order
        assertEquals(1, Integer.signum(CanonicalKeys.ORDER.compare("aaa", "é")));
        assertEquals(-1, Integer.signum(CanonicalKeys.ORDER.compare("aa", "€")));
        assertEquals(-1, Integer.signum(CanonicalKeys.ORDER.compare("aaa", "€")));
        assertEquals(0, CanonicalKeys.ORDER.compare("€x", "€x"));
    }
}
