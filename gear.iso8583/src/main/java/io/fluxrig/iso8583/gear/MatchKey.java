package io.fluxrig.iso8583.gear;

import io.fluxrig.iso8583.IsoMessage;

/**
 * The key pairing a response with its request: the MTI's version, class and origin with the
 * request/response function folded (0200 and 0210 give {@code 02.0}, 0420 and 0430 {@code 04.1}),
 * then the match fields' values. Pure logic; thread-safe.
 */
final class MatchKey {
    private MatchKey() {
    }

    /**
     * @param msg a request or a response
     * @param fields the match fields
     * @return the key, e.g. {@code 02.0|11=000123|41=TERM0001}
     */
    static String of(IsoMessage msg, int[] fields) {
        String mti = msg.mti();
        StringBuilder b = new StringBuilder(40);
        if (mti.length() == 4) {
            b.append(mti, 0, 2).append('.').append((mti.charAt(2) - '0') / 2).append(mti.charAt(3));
        } else {
            b.append(mti);
        }
        for (int f : fields) {
            Object v = msg.get(f);
            b.append('|').append(f).append('=').append(v == null ? "" : v);
        }
        return b.toString();
    }
}
