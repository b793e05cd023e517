package io.fluxrig.msg;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What logs, traces and consoles may show of a fluxMsg. Card data is recognised by the data key
 * it sits under, at any depth: a card number ({@code pan}, ISO 8583 field {@code 2}, ...) keeps
 * its first 6 and last 4 digits, the most PCI DSS allows to display; track data, PIN blocks and
 * card verification values ({@code track2}, {@code 35}, {@code 45}, {@code pin_block},
 * {@code 52}, {@code cvv}, ...) are replaced by {@value #HIDDEN}, which hides their length too.
 * The envelope's {@code raw} bytes (the original wire message, which holds the same data) are
 * dropped. Every gear that logs or shows a message uses this, so one rule holds everywhere.
 * Stateless and thread-safe.
 */
public final class SensitiveData {
    /** What a fully hidden value shows. */
    public static final String HIDDEN = "****";

    /** How a data key's value must be shown. */
    public enum Kind {
        /** Shown as it is. */
        NONE,
        /** A card number: first 6 and last 4 digits kept. */
        PAN,
        /** Track, PIN or card verification data: fully hidden. */
        SECRET
    }

    private SensitiveData() {
    }

    /**
     * @param key a data key (any depth), compared case-insensitively
     * @return how a value under that key must be shown
     */
    public static Kind of(String key) {
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "pan", "2", "card_number", "cardnumber" -> Kind.PAN;
            case "track", "track1", "track2", "track3", "track_1", "track_2", "track2_data", "35", "36", "45",
                    "pin", "pin_block", "pinblock", "52", "cvv", "cvv2", "cvc", "cvc2", "cid" -> Kind.SECRET;
            default -> Kind.NONE;
        };
    }

    /**
     * @param pan a card number
     * @return first 6 and last 4 kept, the rest {@code *}; 10 characters or fewer are
     *     {@value #HIDDEN}, since 6 + 4 would show all of it
     */
    public static String maskPan(String pan) {
        if (pan.length() <= 10) {
            return HIDDEN;
        }
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    /**
     * @param msg a message
     * @return the same message (same id) with sensitive data values masked and {@code raw} removed
     */
    public static FluxMsg masked(FluxMsg msg) {
        Map<String, Object> data = new LinkedHashMap<>();
        msg.data().forEach((k, v) -> data.put(k, value(of(k), v)));
        return msg.toBuilder().raw((Bytes) null).clearData().data(data).build();
    }

    /**
     * @param data a data map
     * @return a copy with sensitive values masked, for rendering
     */
    public static Map<String, Object> masked(Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, value(of(k), v)));
        return out;
    }

    private static Object value(Kind kind, Object v) {
        if (v == null) {
            return null;
        }
        if (kind == Kind.PAN && (v instanceof String || v instanceof Long || v instanceof BigDecimal)) {
            return maskPan(v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v));
        }
        if (kind != Kind.NONE) {
            return HIDDEN;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, value(of((String) k), x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(value(Kind.NONE, x)));
            return out;
        }
        return v;
    }
}
