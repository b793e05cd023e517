package io.fluxrig.rack.runtime.patch;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document into plain values that remember where they were written, so every
 * problem in a patch can name its line. Uses only Jackson's streaming parser (no databind).
 * Thread-safe: the factory is immutable once built; each read has its own parser.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    /**
     * A value and the line/column where it starts.
     *
     * @param value a {@code Map<String, Node>} (in order), {@code List<Node>}, String, Long,
     *     Double, Boolean or null
     * @param line 1-based line
     * @param column 1-based column
     */
    record Node(Object value, int line, int column) {
        String at() {
            return "line " + line + ", column " + column;
        }
    }

    private YamlTree() {
    }

    /**
     * @param text the YAML text
     * @param problems receives duplicate-key problems (the value read first is kept)
     * @return the root node, or null for an empty document
     * @throws IOException with a location when the text is not YAML
     */
    static Node read(String text, List<String> problems) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            return t == null ? null : node(p, problems);
        }
    }

    private static Node node(JsonParser p, List<String> problems) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation keyAt = p.currentTokenLocation();
                    p.nextToken();
                    Node value = node(p, problems);
                    if (map.containsKey(key)) {
                        problems.add("line " + keyAt.getLineNr() + ", column " + keyAt.getColumnNr()
                                + ": duplicate key '" + key + "' (first at line " + map.get(key).line() + ")");
                    } else {
                        map.put(key, value);
                    }
                }
                return new Node(map, line, column);
            }
            case START_ARRAY -> {
                List<Node> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(node(p, problems));
                }
                return new Node(list, line, column);
            }
            case VALUE_STRING -> {
                return new Node(p.getText(), line, column);
            }
            case VALUE_NUMBER_INT -> {
                return new Node(p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText()
                        : (Object) p.getLongValue(), line, column);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node(p.getDoubleValue(), line, column);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(p.getBooleanValue(), line, column);
            }
            case VALUE_NULL -> {
                return new Node(null, line, column);
            }
            default -> {
                problems.add("line " + line + ", column " + column + ": unsupported YAML value (" + t + ")");
                p.skipChildren();
                return new Node(null, line, column);
            }
        }
    }
}
