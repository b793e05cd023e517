package io.fluxrig.cli.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads what {@code fluxrig token --json} printed (or {@code token --token-file} wrote): the token
 * and the CA hash a rack enrols with. Stateless.
 */
final class TokenFile {
    private TokenFile() {
    }

    /**
     * @return {token, caHash}
     * @throws IOException naming the file and the missing field
     */
    static String[] read(Path file) throws IOException {
        return parse(Files.readString(file), "--token-file " + file);
    }

    /**
     * @param text the JSON object
     * @param source where it came from, for the messages ({@code --token-file FILE})
     * @return {token, caHash}
     * @throws IOException naming the source and the missing field; never quoting the text (it holds the token)
     */
    static String[] parse(String text, String source) throws IOException {
        JsonNode t;
        try {
            t = new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new IOException(source + ": not the output of 'fluxrig token --json' (not a JSON object)", e);
        }
        for (String field : new String[] {"token", "caHash"}) {
            if (t == null || !t.path(field).isTextual() || t.path(field).asText().isBlank()) {
                throw new IOException(source + ": no '" + field + "' in it; it takes the output of 'fluxrig token --json'");
            }
        }
        return new String[] {t.path("token").asText(), t.path("caHash").asText()};
    }
}
