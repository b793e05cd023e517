package io.fluxrig.rack.runtime.snake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Small JSON helpers on jackson-core (the rack has no databind). Thread-safe (the factory is). */
final class SnakeJson {
    static final JsonFactory FACTORY = new JsonFactory();

    private SnakeJson() {
    }

    /** @return the top-level string and number fields of a JSON object; nested values are skipped */
    static Map<String, String> fields(byte[] body) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING || t.isNumeric() || t.isBoolean()) {
                    out.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        }
        return out;
    }

    /** @return a JSON object of string fields */
    static byte[] object(String... keyValues) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            for (int i = 0; i < keyValues.length; i += 2) {
                g.writeStringField(keyValues[i], keyValues[i + 1]);
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
