package io.fluxrig.cli.wire;

import io.fluxrig.iso8583.Masking;
import io.fluxrig.iso8583.Sensitivity;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Masks what an operator's terminal must not show, with {@link Masking} of gear.iso8583: data
 * values under a key (at any depth, inside lists too) named like a card number ({@code pan},
 * {@code 2}: first 6 and last 4 digits kept) or like track, PIN block or CVV data
 * ({@code track1}, {@code track2}, {@code 35}, {@code 45}, {@code pin_block}, {@code 52},
 * {@code cvv}, ...: fully hidden, {@value Masking#HIDDEN}, as are maps, lists and bytes under
 * such keys). The envelope's {@code raw} bytes (the original wire message, which holds the same
 * card data) are dropped. Stateless and thread-safe.
 */
final class SensitiveData {
    private SensitiveData() {
    }

    /** @return the class of a data key, by its name (case-insensitive) */
    static Sensitivity of(String key) {
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "pan", "2", "card_number", "cardnumber" -> Sensitivity.PAN;
            case "track", "track1", "track2", "track3", "track_1", "track_2", "track2_data", "35", "36", "45" ->
                    Sensitivity.TRACK;
            case "pin", "pin_block", "pinblock", "52" -> Sensitivity.PIN;
            case "cvv", "cvv2", "cvc", "cvc2", "cid" -> Sensitivity.CVV;
            default -> Sensitivity.NONE;
        };
    }

    /** @return the message with sensitive data values masked and {@code raw} removed */
    static FluxMsg mask(FluxMsg msg) {
        FluxMsg.Builder b = msg.toBuilder().raw((Bytes) null).clearData();
        for (Map.Entry<String, Object> e : msg.data().entrySet()) {
            b.data(Collections.singletonMap(e.getKey(), value(of(e.getKey()), e.getValue())));
        }
        return b.build();
    }

    private static Object value(Sensitivity s, Object v) {
        if (v == null) {
            return null;
        }
        if (s == Sensitivity.PAN && (v instanceof String || v instanceof Long || v instanceof BigDecimal)) {
            return Masking.mask(Sensitivity.PAN, String.valueOf(v instanceof BigDecimal d ? d.toPlainString() : v));
        }
        if (s != Sensitivity.NONE) {
            return Masking.HIDDEN;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, value(of((String) k), x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(value(Sensitivity.NONE, x)));
            return out;
        }
        return v;
    }
}
