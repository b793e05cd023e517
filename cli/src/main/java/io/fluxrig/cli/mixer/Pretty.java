package io.fluxrig.cli.mixer;

import java.util.List;
import java.util.Map;

/** Indented JSON text of the Map/List values {@link MixerApiClient#parse} makes. Stateless. */
final class Pretty {
    private Pretty() {
    }

    static String json(Object v, String indent) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return "{}";
            }
            StringBuilder sb = new StringBuilder("{\n");
            String sep = "";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sep).append(indent).append("  ").append(MixerApiClient.quote(String.valueOf(e.getKey())))
                        .append(": ").append(json(e.getValue(), indent + "  "));
                sep = ",\n";
            }
            return sb.append('\n').append(indent).append('}').toString();
        }
        if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                return "[]";
            }
            StringBuilder sb = new StringBuilder("[\n");
            String sep = "";
            for (Object x : l) {
                sb.append(sep).append(indent).append("  ").append(json(x, indent + "  "));
                sep = ",\n";
            }
            return sb.append('\n').append(indent).append(']').toString();
        }
        return v instanceof String s ? MixerApiClient.quote(s) : String.valueOf(v);
    }

    /** @return the value as JSON on one line */
    static String compact(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            String sep = "";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(sep).append(MixerApiClient.quote(String.valueOf(e.getKey()))).append(':').append(compact(e.getValue()));
                sep = ",";
            }
            return sb.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            String sep = "";
            for (Object x : l) {
                sb.append(sep).append(compact(x));
                sep = ",";
            }
            return sb.append(']').toString();
        }
        return v instanceof String s ? MixerApiClient.quote(s) : String.valueOf(v);
    }
}
