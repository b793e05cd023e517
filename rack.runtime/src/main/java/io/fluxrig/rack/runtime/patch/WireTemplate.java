package io.fluxrig.rack.runtime.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A link target's wire name computed per message from its meta, written
 * {@code wire:auth.responses.${meta.reply.rack}}: literal parts and {@code ${meta.KEY}}
 * placeholders. Parsed and checked when the patch is read; {@link #resolve} builds the name of
 * one message's wire. Immutable and thread-safe (pure logic).
 *
 * <p>A placeholder's value must be one or more wire tokens ({@value #VALUE_TEXT}, at most
 * {@value #MAX_VALUE} characters), so a message can choose a wire only within the shape the patch
 * wrote (it cannot, for example, make the name empty or add '..'); the whole name must then be a
 * valid wire name ({@link #NAME}).
 *
 * @param text the template as written after {@code wire:}
 * @param literals the literal parts, one more than the placeholders (possibly empty strings)
 * @param keys the meta keys of the placeholders, in order
 */
public record WireTemplate(String text, List<String> literals, List<String> keys) {
    /** Text that opens a placeholder. */
    public static final String META_OPEN = "${meta.";
    /** A wire name as transports accept it: tokens of letters, digits, '-', '_', single dots between. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    /** A meta key inside a placeholder. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    static final String VALUE_TEXT = "letters, digits, '-', '_', single dots between";
    /** Longest placeholder value accepted. */
    public static final int MAX_VALUE = 64;
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._-]*");

    /** Copies the lists. */
    public WireTemplate {
        literals = List.copyOf(literals);
        keys = List.copyOf(keys);
    }

    /** @return true when {@code wire} (the text after {@code wire:}) contains a placeholder */
    public static boolean isTemplate(String wire) {
        return wire != null && wire.contains("${");
    }

    /**
     * @param text the wire text after {@code wire:}, patch variables already substituted
     * @return the template
     * @throws IllegalArgumentException saying what is wrong (unclosed or unknown placeholder, bad
     *     key, characters outside a wire name, a name that no value could make valid)
     */
    public static WireTemplate parse(String text) {
        List<String> literals = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = text.indexOf("${", at);
            String literal = open < 0 ? text.substring(at) : text.substring(at, open);
            if (!LITERAL.matcher(literal).matches()) {
                throw new IllegalArgumentException("'" + literal + "' outside placeholders must be letters, digits, '.', '-', '_'");
            }
            literals.add(literal);
            if (open < 0) {
                break;
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("placeholder at offset " + open + " is not closed with '}'");
            }
            String inside = text.substring(open + 2, close);
            if (!inside.startsWith("meta.")) {
                throw new IllegalArgumentException("placeholder '${" + inside + "}' is not ${meta.KEY}");
            }
            String key = inside.substring("meta.".length());
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("placeholder '${" + inside + "}': meta key '" + key
                        + "' must be " + VALUE_TEXT);
            }
            keys.add(key);
            at = close + 1;
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no ${meta.KEY} placeholder");
        }
        WireTemplate t = new WireTemplate(text, literals, keys);
        String sample = t.literalsWith("x");
        if (!NAME.matcher(sample).matches()) {
            throw new IllegalArgumentException("no value makes a valid wire name (e.g. '" + sample
                    + "'): tokens must be separated by single dots");
        }
        return t;
    }

    /**
     * @param meta looks up a meta value by key (null when absent)
     * @return the wire name for these values
     * @throws IllegalArgumentException naming the meta key when it is missing or its value is not
     *     allowed, or when the resulting name is not a wire name
     */
    public String resolve(Function<String, String> meta) {
        StringBuilder b = new StringBuilder(text.length() + 16).append(literals.get(0));
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            String v = meta.apply(key);
            if (v == null) {
                throw new IllegalArgumentException("wire:" + text + ": the message has no meta '" + key + "'");
            }
            if (v.length() > MAX_VALUE || !NAME.matcher(v).matches()) {
                throw new IllegalArgumentException("wire:" + text + ": meta '" + key + "' = '" + shorten(v)
                        + "' is not a wire name part (" + VALUE_TEXT + ", at most " + MAX_VALUE + " characters)");
            }
            b.append(v).append(literals.get(i + 1));
        }
        String name = b.toString();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("wire:" + text + ": '" + name + "' (from meta " + keys
                    + ") is not a wire name");
        }
        return name;
    }

    private String literalsWith(String value) {
        StringBuilder b = new StringBuilder(literals.get(0));
        for (int i = 1; i < literals.size(); i++) {
            b.append(value).append(literals.get(i));
        }
        return b.toString();
    }

    private static String shorten(String v) {
        return v.length() <= MAX_VALUE + 8 ? v : v.substring(0, MAX_VALUE) + "...";
    }

    @Override
    public String toString() {
        return text;
    }
}
