package io.fluxrig.cli.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads what {@code fluxrig token --json} printed: the token and the CA hash a rack enrols with. Stateless. */
final class TokenFile {
    private TokenFile() {
    }

    /**
     * @return {token, caHash}
     * @throws IOException naming the file and the missing field
     */
    static String[] read(Path file) throws IOException {
        JsonNode t;
        try {
            t = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IOException("--token-file " + file + ": not the output of 'fluxrig token --json' (" + e.getMessage().lines()
                    .findFirst().orElse("") + ")", e);
        }
        for (String field : new String[] {"token", "caHash"}) {
            if (t == null || !t.path(field).isTextual() || t.path(field).asText().isBlank()) {
                throw new IOException("--token-file " + file + ": no '" + field + "' in it; it takes the output of 'fluxrig token --json'");
            }
        }
        return new String[] {t.path("token").asText(), t.path("caHash").asText()};
    }
}
