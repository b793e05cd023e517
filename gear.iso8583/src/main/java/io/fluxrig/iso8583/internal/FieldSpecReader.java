package io.fluxrig.iso8583.internal;

import io.fluxrig.iso8583.ContentType;
import io.fluxrig.iso8583.Encoding;
import io.fluxrig.iso8583.FieldSpec;
import io.fluxrig.iso8583.LengthType;
import io.fluxrig.iso8583.MessageSpec;
import io.fluxrig.iso8583.Nibble;
import io.fluxrig.iso8583.Padding;
import io.fluxrig.iso8583.Sensitivity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One field entry of a spec file: {@code "35": {"type": "z", "length": "LL37", "encoding":
 * "bcd", "prefix": "bcd", ...}}. Defaults: encoding ascii; prefix bcd for bcd content, ebcdic for
 * ebcdic, otherwise ascii; padding zeros-left for fixed n, spaces-right for fixed an/ans,
 * otherwise none; nibble left-0; sensitivity none.
 */
final class FieldSpecReader {
    private static final Pattern LENGTH = Pattern.compile("(LL|LLL|LLLL)?([0-9]{1,5})");
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Set<String> KEYS = Set.of("type", "length", "encoding", "prefix", "padding", "nibble",
            "description", "alias", "sensitivity", "tlv");

    private FieldSpecReader() {
    }

    static FieldSpec read(String key, Object node, boolean tertiary, List<String> problems) {
        int before = problems.size();
        int max = tertiary ? MessageSpec.MAX_FIELD_TERTIARY : MessageSpec.MAX_FIELD;
        int number = key.matches("[0-9]{1,3}") ? Integer.parseInt(key) : -1;
        String at = "field " + key;
        if (number < 2 || number > max || number == 65 && tertiary) {
            problems.add(at + ": not a data field number (2.." + max + (tertiary ? ", 65 is the tertiary bitmap bit" : "") + ")");
        }
        if (!(node instanceof Map<?, ?> m)) {
            problems.add(at + ": must be a map with type, length, encoding, ...");
            return null;
        }
        for (Object k : m.keySet()) {
            if (!KEYS.contains(k)) {
                problems.add(at + ": unknown key '" + k + "' (expected one of " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        ContentType type = SpecReader.type(m.get("type"));
        if (type == null) {
            problems.add(at + ": type " + SpecReader.show(m.get("type")) + " is not one of n, an, ans, b, z, xn");
        }
        Matcher lm = m.get("length") instanceof String s ? LENGTH.matcher(s)
                : m.get("length") instanceof Long l ? LENGTH.matcher(Long.toString(l)) : null;
        LengthType lengthType = null;
        int length = -1;
        if (lm == null || !lm.matches()) {
            problems.add(at + ": length " + SpecReader.show(m.get("length")) + " is not N, LLN, LLLN or LLLLN (e.g. 12, LL19)");
        } else {
            lengthType = lm.group(1) == null ? LengthType.FIXED : LengthType.valueOf(lm.group(1));
            length = Integer.parseInt(lm.group(2));
            if (length < 1 || length > lengthType.capacity()) {
                problems.add(at + ": length " + length + " must be 1.." + (lengthType == LengthType.FIXED ? "99999" : lengthType.capacity())
                        + (lengthType == LengthType.FIXED ? "" : " for a " + lengthType + " prefix"));
            }
        }
        Encoding encoding = SpecReader.enumOf(m.get("encoding"), "ascii", at + " encoding",
                Set.of(Encoding.values()), problems);
        if (type != null && encoding != null && !encodingFits(type, encoding)) {
            problems.add(at + ": encoding " + encoding.code() + " does not fit type " + type.code()
                    + (type == ContentType.B ? " (use binary or hex)" : " (use ascii, ebcdic" + (bcdAllowed(type) ? " or bcd)" : ")")));
        }
        String dfltPrefix = encoding == Encoding.BCD ? "bcd" : encoding == Encoding.EBCDIC ? "ebcdic" : "ascii";
        Encoding prefix = SpecReader.enumOf(m.get("prefix"), dfltPrefix, at + " prefix",
                Set.of(Encoding.ASCII, Encoding.EBCDIC, Encoding.BCD, Encoding.BINARY), problems);
        if (m.get("prefix") != null && lengthType == LengthType.FIXED) {
            problems.add(at + ": a prefix is given but the length is fixed");
        }
        Padding padding = padding(at, m.get("padding"), type, lengthType, problems);
        Nibble nibble = m.get("nibble") == null ? Nibble.LEFT_0 : m.get("nibble") instanceof String s ? Nibble.of(s) : null;
        if (nibble == null) {
            problems.add(at + ": nibble " + SpecReader.show(m.get("nibble")) + " is not one of left-0, right-0, left-F, right-F");
        }
        String alias = m.get("alias") == null ? null : m.get("alias") instanceof String s ? s : "";
        if (alias != null && (!ALIAS.matcher(alias).matches() || alias.equals("mti") || alias.equals("bytes"))) {
            problems.add(at + ": alias " + SpecReader.show(m.get("alias")) + " must match [a-z][a-z0-9_]* and not be mti or bytes");
        }
        Sensitivity sensitivity = m.get("sensitivity") == null ? Sensitivity.NONE
                : m.get("sensitivity") instanceof String s ? Sensitivity.of(s) : null;
        if (sensitivity == null) {
            problems.add(at + ": sensitivity " + SpecReader.show(m.get("sensitivity")) + " is not one of none, pan, track, pin, cvv");
        }
        Object tlvNode = m.get("tlv");
        if (tlvNode != null && !(tlvNode instanceof Boolean)) {
            problems.add(at + ": tlv must be true or false");
        }
        boolean tlv = Boolean.TRUE.equals(tlvNode);
        if (tlv && (type != ContentType.B || encoding != Encoding.BINARY)) {
            problems.add(at + ": tlv needs type b with binary encoding");
        }
        if (type == ContentType.XN && lengthType == LengthType.FIXED && length < 2) {
            problems.add(at + ": xn needs a length of at least 2 (sign and a digit)");
        }
        if (problems.size() > before) {
            return null;
        }
        String description = m.get("description") instanceof String s ? s : "";
        return new FieldSpec(number, type, lengthType, length, encoding, prefix, padding, nibble, description, alias, sensitivity, tlv);
    }

    private static Padding padding(String at, Object node, ContentType type, LengthType lengthType, List<String> problems) {
        if (node == null) {
            if (lengthType != LengthType.FIXED || type == null) {
                return Padding.NONE;
            }
            return switch (type) {
                case N -> Padding.ZEROS_LEFT;
                case AN, ANS -> Padding.SPACES_RIGHT;
                default -> Padding.NONE;
            };
        }
        Padding p = node instanceof String s ? Padding.of(s) : null;
        if (p == null) {
            problems.add(at + ": padding " + SpecReader.show(node) + " is not one of none, zeros-left, spaces-right");
        } else if (p != Padding.NONE && type == ContentType.B) {
            problems.add(at + ": a binary field cannot be padded");
        }
        return p;
    }

    private static boolean bcdAllowed(ContentType t) {
        return t == ContentType.N || t == ContentType.Z || t == ContentType.XN;
    }

    private static boolean encodingFits(ContentType t, Encoding e) {
        if (t == ContentType.B) {
            return e == Encoding.BINARY || e == Encoding.HEX;
        }
        return e == Encoding.ASCII || e == Encoding.EBCDIC || e == Encoding.BCD && bcdAllowed(t);
    }
}
