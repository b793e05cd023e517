package io.fluxrig.msg.cbor;

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
     * @param where what the text is
     * @param index where its unpaired surrogate is
     * @return the exception for text that has no UTF-8 form; callers scan first with
     *     {@link #firstUnpairedSurrogate} and build {@code where} only on failure
     */
    static IllegalArgumentException unpaired(String where, int index) {
        return new IllegalArgumentException(where + ": unpaired surrogate at char " + index
                + " cannot be encoded as UTF-8");
    }
}
