package io.fluxrig.iso8583;

import io.fluxrig.iso8583.internal.Hex;
import io.fluxrig.msg.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns field values into what logs, traces and consoles may show. A PAN keeps its first 6 and
 * last 4 digits (the most PCI DSS allows to display) with the middle as {@code *}; track, PIN and
 * CVV values become {@value #HIDDEN}, which hides the length too. Inside a TLV field (EMV), tag
 * 5A (PAN) is masked like a PAN and the track-equivalent tags (56, 57, 9F1F, 9F20, 9F6B) are
 * hidden. Bytes are shown as upper-case hex. Stateless and thread-safe.
 */
public final class Masking {
    /** What a fully masked value shows. */
    public static final String HIDDEN = "****";

    private static final Set<String> TRACK_TAGS = Set.of("56", "57", "9F1F", "9F20", "9F6B");
    private static final String PAN_TAG = "5A";

    private Masking() {
    }

    /**
     * @param f the field
     * @param value its value as decoded
     * @param unmasked true to show sensitive values as they are (an operator's explicit choice)
     * @return text, or for a TLV field a list of maps {@code {tag, value[, length_bytes]}} with text values
     */
    public static Object display(FieldSpec f, Object value, boolean unmasked) {
        Sensitivity s = unmasked || f == null ? Sensitivity.NONE : f.sensitivity();
        if (value instanceof List<?> tags) {
            return tlv(tags, unmasked);
        }
        String text = value instanceof Bytes b ? b.toHex().toUpperCase(java.util.Locale.ROOT) : String.valueOf(value);
        return mask(s, text);
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
            Sensitivity s = unmasked ? Sensitivity.NONE
                    : PAN_TAG.equals(tag) ? Sensitivity.PAN : TRACK_TAGS.contains(tag) ? Sensitivity.TRACK : Sensitivity.NONE;
            shown.put("tag", tag);
            shown.put("value", mask(s, hex));
            if (m.get("length_bytes") != null) {
                shown.put("length_bytes", m.get("length_bytes"));
            }
            out.add(shown);
        }
        return out;
    }
}
