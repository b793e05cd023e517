package io.fluxrig.gear.json.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6901 JSON Pointer used as a mapping target ({@code /amount/value}, {@code /39},
 * {@code /a~1b} for key {@code a/b}). Targets build objects: every segment is an object key, so
 * {@code /39} is key {@code "39"}, never an array index. Immutable.
 *
 * @param text the pointer as written
 * @param segments the decoded keys
 */
record Pointer(String text, List<String> segments) {

    /**
     * @param text the pointer text
     * @return the pointer
     * @throws IllegalArgumentException with the reason when the text is not a usable target
     */
    static Pointer parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the root pointer \"\" cannot be a target");
        }
        if (text.charAt(0) != '/') {
            throw new IllegalArgumentException("'" + text + "' is not a JSON Pointer (must start with /)");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : text.substring(1).split("/", -1)) {
            if (raw.matches(".*~([^01].*|$)")) {
                throw new IllegalArgumentException("'" + text + "': ~ must be followed by 0 or 1");
            }
            segments.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return new Pointer(text, List.copyOf(segments));
    }

    /** @return whether this pointer is {@code other} or lies inside it (or the other way round) */
    boolean overlaps(Pointer other) {
        int n = Math.min(segments.size(), other.segments.size());
        return segments.subList(0, n).equals(other.segments.subList(0, n));
    }

    /**
     * Sets the value in a document under construction, creating objects on the way. Targets were
     * checked not to overlap at load, so every step finds an object or nothing.
     *
     * @param root the document (a mutable map owned by the caller)
     * @param value the value
     */
    @SuppressWarnings("unchecked")
    void put(Map<String, Object> root, Object value) {
        Map<String, Object> at = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            at = (Map<String, Object>) at.computeIfAbsent(segments.get(i), k -> new LinkedHashMap<>());
        }
        at.put(segments.get(segments.size() - 1), value);
    }

    @Override
    public String toString() {
        return text;
    }
}
