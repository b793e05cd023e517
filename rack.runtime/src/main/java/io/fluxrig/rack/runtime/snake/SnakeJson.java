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

    /** A command from the Mixer's command stream. */
    record Command(String id, String type, Map<String, String> args) {
    }

    /** @return the commands of a {@code {"commands": [{"id", "type", "args": {..}}]}} body */
    static java.util.List<Command> commands(byte[] body) throws IOException {
        java.util.List<Command> out = new java.util.ArrayList<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the command stream answered something other than a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!"commands".equals(name) || p.nextToken() != JsonToken.START_ARRAY) {
                    p.nextToken();
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String id = null;
                    String type = null;
                    Map<String, String> args = new HashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken t = p.nextToken();
                        if ("args".equals(f) && t == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String k = p.currentName();
                                p.nextToken();
                                args.put(k, p.getText());
                            }
                        } else if ("id".equals(f)) {
                            id = p.getText();
                        } else if ("type".equals(f)) {
                            type = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                    if (id == null || type == null) {
                        throw new IOException("a command without id or type");
                    }
                    out.add(new Command(id, type, Map.copyOf(args)));
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
