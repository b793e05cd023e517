package io.fluxrig.iso8583.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON or YAML document into plain maps (insertion order), lists, strings, numbers and
 * booleans with Jackson's streaming API, so the spec checker sees one tree whatever the file
 * format. A repeated key is reported as a problem instead of silently overwriting.
 */
public final class TreeReader {
    private static final int MAX_DEPTH = 16;

    private TreeReader() {
    }

    /**
     * @param text the document
     * @param yaml true for YAML, false for JSON
     * @param problems where repeated keys are reported
     * @return the tree, or null for an empty document
     * @throws IOException on a syntax error
     */
    public static Object read(String text, boolean yaml, List<String> problems) throws IOException {
        JsonFactory factory = yaml ? new YAMLFactory() : new JsonFactory();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t = p.nextToken();
            return t == null ? null : value(p, t, "", problems, 0);
        }
    }

    private static Object value(JsonParser p, JsonToken t, String path, List<String> problems, int depth)
            throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("nesting deeper than " + MAX_DEPTH + " at " + path);
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Object v = value(p, p.nextToken(), path.isEmpty() ? key : path + "." + key, problems, depth + 1);
                    if (m.containsKey(key)) {
                        problems.add((path.isEmpty() ? "" : path + ": ") + "key '" + key + "' appears twice");
                    }
                    m.put(key, v);
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY && n != null) {
                    l.add(value(p, n, path + "[" + l.size() + "]", problems, depth + 1));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                // a number too big for a long stays text, so the checks refuse it instead of truncating it
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText() : (Object) p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return t == JsonToken.VALUE_TRUE;
            }
            default -> {
                return null;
            }
        }
    }
}
