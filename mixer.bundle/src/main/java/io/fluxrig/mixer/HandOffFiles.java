package io.fluxrig.mixer;

import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Mixer hands over to the operator and the launcher as files in its data folder, never
 * as log lines: the operator token ({@value #TOKEN}, mode 0600, written once at first start; the
 * Mixer itself keeps only its hash) and readiness ({@value #READY}, written when the API and the
 * Snake listen, removed at stop), whose {@code api}, {@code snake} and {@code console} keys say
 * where. Written atomically (temporary file, then rename), so a reader never sees half a file.
 */
final class HandOffFiles {
    static final String TOKEN = io.fluxrig.snake.api.OperatorTokenFiles.TOKEN;
    static final String READY = "mixer.ready";

    private HandOffFiles() {
    }

    static void writeToken(Path data, String token) throws IOException {
        Pem.write(data.resolve(TOKEN), token + "\n", true);
    }

    static void writeReady(Path data, String api, String snake, String console) throws IOException {
        Pem.write(data.resolve(READY), "api=" + api + "\nsnake=" + snake + "\nconsole=" + console + "\npid="
                + ProcessHandle.current().pid() + "\n", false);
    }

    static void removeReady(Path data) {
        try {
            Files.deleteIfExists(data.resolve(READY));
        } catch (IOException e) {
            // the launcher removes a stale one before the next start
        }
    }
}
