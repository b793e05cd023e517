package io.fluxrig.msg.cbor;

import java.nio.charset.StandardCharsets;

/** Strict UTF-8 encoding: refuses unpaired surrogates instead of replacing them. Stateless. */
final class Utf8 {
    private Utf8() {
    }

    /**
     * @param s text
     * @return the index of the first unpaired surrogate, or -1 when the text is well-formed
     */
    static int firstUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param s text
     * @param where what the text is, for the error message
     * @return its UTF-8 bytes
     * @throws IllegalArgumentException when the text holds an unpaired surrogate (it has no UTF-8 form)
     */
    static byte[] encode(String s, String where) {
        int bad = firstUnpairedSurrogate(s);
        if (bad >= 0) {
            throw new IllegalArgumentException(where + ": unpaired surrogate at char " + bad
                    + " cannot be encoded as UTF-8");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
