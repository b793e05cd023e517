package io.fluxrig.iso8583.gear;

import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.IsoMessage;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decline an {@code iso8583.server} with {@code reject.dialect} writes back at once when its
 * downstream refuses a request (back-pressure): the request decoded with that dialect, answered
 * with MTI + 10 (0100 → 0110, 0200 → 0210, 1100 → 1110), the fields a response must echo (3, 4, 7,
 * 11, 12, 13, 37, 41, 42, 49, where present) and 39 = {@code reject.response.code} (96, system
 * malfunction, by default). The peer learns at once that the request failed instead of waiting for
 * its timeout. Immutable and thread-safe (the codec is).
 */
final class BackPressureReply {
    /** Fields copied from the request when present, as the response of a financial or authorisation request echoes them. */
    static final int[] ECHO = {3, 4, 7, 11, 12, 13, 37, 41, 42, 49};

    private final IsoCodec codec;
    private final String responseCode;

    private BackPressureReply(IsoCodec codec, String responseCode) {
        this.codec = codec;
        this.responseCode = responseCode;
    }

    /**
     * @param dialect a built-in dialect name, or blank for none
     * @param responseCode the value of field 39
     * @return the reply builder, or null when {@code dialect} is blank (no reply: count and drop)
     * @throws IllegalArgumentException naming the attribute when the dialect is unknown or the code does not fit field 39
     */
    static BackPressureReply of(String dialect, String responseCode) {
        if (dialect == null || dialect.isBlank()) {
            return null;
        }
        IsoCodec codec;
        try {
            codec = IsoCodec.of(Dialects.builtIn(dialect.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("iso8583.server config reject.dialect: " + e.getMessage(), e);
        }
        BackPressureReply r = new BackPressureReply(codec, responseCode == null ? "" : responseCode.trim());
        try {
            codec.encode(new IsoMessage("0110", Map.of(39, r.responseCode)));
        } catch (IsoException e) {
            throw new IllegalArgumentException("iso8583.server config reject.response.code: does not fit field 39 of "
                    + dialect.trim() + ": " + e.reason(), e);
        }
        return r;
    }

    /**
     * @param request the request's message bytes (no prefix, no header)
     * @return the response's bytes
     * @throws IsoException when the request does not decode, is itself a response (odd third MTI
     *     digit), or its echoed fields cannot be encoded
     */
    byte[] reply(byte[] request) throws IsoException {
        IsoMessage in = codec.decode(request);
        String mti = in.mti();
        char function = mti.charAt(2);
        if (function < '0' || function > '8' || (function - '0') % 2 != 0) {
            throw new IsoException(IsoException.MTI, 0, "MTI " + mti + " is not a request: no response to build");
        }
        String out = mti.substring(0, 2) + (char) (function + 1) + mti.charAt(3);
        Map<Integer, Object> fields = new TreeMap<>();
        for (int n : ECHO) {
            Object v = in.get(n);
            if (v != null) {
                fields.put(n, v);
            }
        }
        fields.put(39, responseCode);
        return codec.encode(new IsoMessage(out, fields));
    }

    /** @return the dialect's name, for logs */
    String dialect() {
        return codec.spec().name();
    }
}
