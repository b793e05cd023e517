package io.fluxrig.iso8583;

import io.fluxrig.iso8583.internal.Hex;
import io.fluxrig.msg.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns field values into what logs, traces and consoles may show, by the dialect's field
 * {@link Sensitivity} and, inside a TLV field (EMV), by tag; the forms and the tag rules are
 * fluxrig's one rule set, {@link io.fluxrig.msg.SensitiveData}: a PAN keeps its first 6 and last
 * 4 digits, track, PIN and CVV values become {@value #HIDDEN}, tag 5A is a PAN, tags 56, 57,
 * 9F1F, 9F20, 9F6B are hidden. Bytes are shown as upper-case hex. Stateless and thread-safe.
 */
public final class Masking {
    /** What a fully masked value shows. */
    public static final String HIDDEN = io.fluxrig.msg.SensitiveData.HIDDEN;

    private Masking() {
    }

    /**
     * @param f the field
     * @param value its value as decoded
     * @param unmasked true to show sensitive values as they are (an operator's explicit choice)
     * @return text, or for a TLV field a list of maps {@code {tag, value[, length_bytes]}} with text
     *     values; unless unmasked, a card number inside any other field is masked too
     *     ({@link io.fluxrig.msg.SensitiveData#maskText})
     */
    public static Object display(FieldSpec f, Object value, boolean unmasked) {
        Sensitivity s = unmasked || f == null ? Sensitivity.NONE : f.sensitivity();
        if (value instanceof List<?> tags) {
            return tlv(tags, unmasked);
        }
        String text = value instanceof Bytes b ? b.toHex().toUpperCase(java.util.Locale.ROOT) : String.valueOf(value);
        return unmasked ? text : scanned(s, text);
    }

    /**
     * @param s the sensitivity class
     * @param text the value as text
     * @return the masked text
     */
    public static String mask(Sensitivity s, String text) {
        return switch (s) {
            case NONE -> text;
            case PAN -> maskPan(text);
            default -> HIDDEN;
        };
    }

    /**
     * @param pan a card number
     * @return first 6 and last 4 kept, the rest {@code *}; a value of 10 characters or fewer is
     *     {@value #HIDDEN}, since 6 + 4 would show all of it
     */
    public static String maskPan(String pan) {
        return io.fluxrig.msg.SensitiveData.maskPan(pan);
    }

    private static String scanned(Sensitivity s, String text) {
        return s == Sensitivity.NONE ? io.fluxrig.msg.SensitiveData.maskText(text) : mask(s, text);
    }

    private static List<Object> tlv(List<?> tags, boolean unmasked) {
        List<Object> out = new ArrayList<>(tags.size());
        for (Object o : tags) {
            if (!(o instanceof Map<?, ?> m)) {
                continue;
            }
            Map<String, Object> shown = new LinkedHashMap<>();
            String tag = String.valueOf(m.get("tag"));
            Object v = m.get("value");
            String hex = v instanceof Bytes b ? Hex.of(b.toByteArray()) : String.valueOf(v);
            Sensitivity s = unmasked ? Sensitivity.NONE : switch (io.fluxrig.msg.SensitiveData.ofEmvTag(tag)) {
                case PAN -> Sensitivity.PAN;
                case SECRET -> Sensitivity.TRACK;
                case NONE -> Sensitivity.NONE;
            };
            shown.put("tag", tag);
            shown.put("value", unmasked ? hex : scanned(s, hex));
            if (m.get("length_bytes") != null) {
                shown.put("length_bytes", m.get("length_bytes"));
            }
            out.add(shown);
        }
        return out;
    }
}
