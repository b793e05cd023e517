package io.fluxrig.cli.mixer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The three operator API calls a deployment makes, so that {@link Deployment}'s step and wait
 * logic can be driven by a fake in unit tests. The real one is {@link MixerDeployApi}.
 * An {@link IOException} means the Mixer could not be reached; a {@link Refusal} that it answered
 * and said no.
 */
interface DeployApi {
    /**
     * @param file the file to store on the Mixer (POST /api/artifacts)
     * @return the digest the Mixer stored it under, {@code sha256:<hex>}
     */
    String upload(Path file) throws Refusal, IOException;

    /**
     * @return the queued command's id (POST /api/racks/{rack}/commands)
     */
    String enqueue(String rack, String type, Map<String, String> args) throws Refusal, IOException;

    /**
     * @return the command's state and the rack's detail (GET /api/racks/{rack}/commands/{id})
     */
    CommandState status(String rack, String id) throws Refusal, IOException;

    /**
     * @param state pending, done, failed or refused
     * @param detail the rack's result text, null before
     */
    record CommandState(String state, String detail) {
        boolean pending() {
            return "pending".equals(state);
        }
    }

    /** The Mixer answered with an error: HTTP status and its reason. */
    final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refusal(int status, String reason) {
            super(reason);
            this.status = status;
        }
    }
}
