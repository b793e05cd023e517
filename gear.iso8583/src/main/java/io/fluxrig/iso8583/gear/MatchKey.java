package io.fluxrig.iso8583.gear;

import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.msg.SensitiveData;

/**
 * The key pairing a response with its request: the MTI's version, class and origin with the
 * request/response function folded (0200 and 0210 give {@code 02.00}, 0420 and 0430 {@code 04.10}),
 * then the match fields' values. The key itself holds card data when a match field is one (field
 * 2): logs and error texts use {@link #shown}, never the key. Pure logic; thread-safe.
 */
final class MatchKey {
    private MatchKey() {
    }

    /**
     * @param msg a request or a response
     * @param fields the match fields
     * @return the key, e.g. {@code 02.00|11=000123|41=TERM0001}
     */
    static String of(IsoMessage msg, int[] fields) {
        return build(msg, fields, false);
    }

    /**
     * @param msg a request or a response
     * @param fields the match fields
     * @return the key as logs and error texts may show it: card data masked by fluxrig's rule set
     *     ({@link SensitiveData}), e.g. {@code 02.00|2=476173******0010|11=000123}
     */
    static String shown(IsoMessage msg, int[] fields) {
        return build(msg, fields, true);
    }

    private static String build(IsoMessage msg, int[] fields, boolean masked) {
        String mti = msg.mti();
        StringBuilder b = new StringBuilder(40);
        if (mti.length() == 4) {
            b.append(mti, 0, 2).append('.').append((mti.charAt(2) - '0') / 2).append(mti.charAt(3));
        } else {
            b.append(mti);
        }
        for (int f : fields) {
            Object v = msg.get(f);
            if (masked && v != null) {
                v = SensitiveData.maskValue(Integer.toString(f), v);
            }
            b.append('|').append(f).append('=').append(v == null ? "" : v);
        }
        return b.toString();
    }
}
