package io.fluxrig.msg;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one rule set for what logs, traces, error texts, dead letters, consoles and CLI output may
 * show of card data. Every part of fluxrig that prints or logs message content goes through it.
 *
 * <p><b>Which values are card data.</b>
 * <ul>
 * <li>By data or meta key, at any depth, compared case-insensitively ({@link #of}): a card number
 * ({@code pan}, ISO 8583 field {@code 2}, {@code card_number}) is {@link Kind#PAN}; track data
 * ({@code track1}, {@code track2}, {@code track3}, fields {@code 35}, {@code 36}, {@code 45}), PIN
 * blocks ({@code pin}, {@code pin_block}, field {@code 52}) and card verification values
 * ({@code cvv}, {@code cvv2}, {@code cvc}, {@code cvc2}, {@code cid}) are {@link Kind#SECRET}. A
 * dotted meta key is judged by its last segment too ({@code card.pan}).</li>
 * <li>By EMV tag inside a list of {@code {tag, value}} maps, which is how ISO 8583 field 55
 * ({@code 55} / {@code emv}) decodes ({@link #ofEmvTag}): tag {@code 5A} (application PAN) is a
 * PAN; tags {@code 56}, {@code 57}, {@code 9F1F}, {@code 9F20}, {@code 9F6B} (track 1/2 data and
 * their equivalents) are secret.</li>
 * <li>By shape, in any other text (values under other keys, meta values, error texts:
 * {@link #maskText}): a run of 13 to 19 digits, not part of a longer run of digits, that passes
 * the Luhn check is a PAN; when it is followed by a track 2 separator ({@code =} or {@code D})
 * and digits, those digits are track data.</li>
 * </ul>
 *
 * <p><b>How they are shown.</b> A PAN keeps its first 6 and last 4 digits, the most PCI DSS allows
 * to display, the middle as {@code *} ({@link #maskPan}); 10 characters or fewer show
 * {@value #HIDDEN}. Track data, PIN blocks and CVVs always show {@value #HIDDEN}, which hides
 * their length too. The envelope's {@code raw} bytes (the wire message, holding the same data) are
 * dropped.
 *
 * <p>A digit run that fails the Luhn check is left as it is (amounts, STANs, timestamps and their
 * concatenations are not card numbers); a PAN written with spaces or dashes between its digit
 * groups is not recognised in free text (only under a card-data key).
 *
 * <p>Stateless and thread-safe; every method returns new objects and never changes its input.
 */
public final class SensitiveData {
    /** What a fully hidden value shows. */
    public static final String HIDDEN = "****";

    /** How a value must be shown. */
    public enum Kind {
        /** Shown as it is (text is still scanned for card numbers). */
        NONE,
        /** A card number: first 6 and last 4 digits kept. */
        PAN,
        /** Track, PIN or card verification data: fully hidden. */
        SECRET
    }

    private static final int PAN_MIN = 13;
    private static final int PAN_MAX = 19;

    private SensitiveData() {
    }

    /**
     * @param key a data key (any depth) or meta key, compared case-insensitively
     * @return how a value under that key must be shown
     */
    public static Kind of(String key) {
        Kind k = ofName(key.toLowerCase(Locale.ROOT));
        int dot = key.lastIndexOf('.');
        if (k == Kind.NONE && dot >= 0 && dot < key.length() - 1) {
            k = ofName(key.substring(dot + 1).toLowerCase(Locale.ROOT));
        }
        return k;
    }

    private static Kind ofName(String key) {
        return switch (key) {
            case "pan", "2", "card_number", "cardnumber" -> Kind.PAN;
            case "track", "track1", "track2", "track3", "track_1", "track_2", "track_3", "track2_data", "35", "36", "45",
                    "pin", "pin_block", "pinblock", "52", "cvv", "cvv2", "cvc", "cvc2", "cid" -> Kind.SECRET;
            default -> Kind.NONE;
        };
    }

    /**
     * @param tag an EMV (BER-TLV) tag as hex, compared case-insensitively
     * @return how its value must be shown
     * @since 1.2
     */
    public static Kind ofEmvTag(String tag) {
        return switch (tag.toUpperCase(Locale.ROOT)) {
            case "5A" -> Kind.PAN;
            case "56", "57", "9F1F", "9F20", "9F6B" -> Kind.SECRET;
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
     * @return the same message (same id) with card data masked in data and meta, and {@code raw}
     *     removed
     */
    public static FluxMsg masked(FluxMsg msg) {
        FluxMsg.Builder b = msg.toBuilder().raw((Bytes) null).clearData().data(masked(msg.data()));
        msg.meta().forEach((k, v) -> b.meta(k, maskedMeta(k, v)));
        return b.build();
    }

    /**
     * @param data a data map
     * @return a copy with card data masked, for rendering
     */
    public static Map<String, Object> masked(Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, value(of(k), v)));
        return out;
    }

    /**
     * @param meta a meta map
     * @return a copy with card data masked, for rendering
     * @since 1.2
     */
    public static Map<String, String> maskedMeta(Map<String, String> meta) {
        Map<String, String> out = new LinkedHashMap<>();
        meta.forEach((k, v) -> out.put(k, maskedMeta(k, v)));
        return out;
    }

    /**
     * @param key the data or meta key (or field number) a value sits under
     * @param value the value
     * @return what may be shown of it: the masked value for card data, the value (text scanned by
     *     {@link #maskText}) otherwise; a container is masked throughout
     * @since 1.2
     */
    public static Object maskValue(String key, Object value) {
        return value(of(key), value);
    }

    /**
     * Masks card numbers and the track data following them in free text (error messages, log
     * lines, header values): see the class description for what is recognised.
     *
     * @param text any text, or null
     * @return the text with each Luhn-valid run of 13 to 19 digits shown as by {@link #maskPan}
     *     and track data after it as {@value #HIDDEN}; null for null
     * @since 1.2
     */
    public static String maskText(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        int copied = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (len < PAN_MIN || len > PAN_MAX || !luhn(text, start, i)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(text, copied, start).append(maskPan(text.substring(start, i)));
            copied = i;
            if (i + 1 < n && (text.charAt(i) == '=' || text.charAt(i) == 'D') && isDigit(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && isDigit(text.charAt(end))) {
                    end++;
                }
                out.append(text.charAt(i)).append(HIDDEN);
                copied = end;
                i = end;
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, n).toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Luhn (mod 10) over text[from, to), all digits. */
    private static boolean luhn(String text, int from, int to) {
        int sum = 0;
        boolean twice = false;
        for (int i = to - 1; i >= from; i--) {
            int d = text.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    private static String maskedMeta(String key, String v) {
        return switch (of(key)) {
            case PAN -> maskPan(v);
            case SECRET -> HIDDEN;
            case NONE -> maskText(v);
        };
    }

    private static Object value(Kind kind, Object v) {
        if (v == null) {
            return null;
        }
        if (kind == Kind.PAN && (v instanceof String || v instanceof Long || v instanceof BigDecimal || v instanceof Bytes)) {
            return maskPan(text(v));
        }
        if (kind != Kind.NONE) {
            return HIDDEN;
        }
        if (v instanceof String s) {
            return maskText(s);
        }
        if (v instanceof Map<?, ?> m) {
            Kind tagged = m.get("tag") instanceof String tag ? ofEmvTag(tag) : Kind.NONE;
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> {
                Kind byKey = of((String) k);
                out.put((String) k, value(byKey == Kind.NONE && "value".equals(k) ? tagged : byKey, x));
            });
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(value(Kind.NONE, x)));
            return out;
        }
        return v;
    }

    private static String text(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Bytes b) {
            return b.toHex().toUpperCase(Locale.ROOT);
        }
        return String.valueOf(v);
    }
}
