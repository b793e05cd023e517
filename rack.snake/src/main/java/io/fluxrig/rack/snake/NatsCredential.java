package io.fluxrig.rack.snake;

import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.Jwt;
import io.fluxrig.nats.trust.NKeyPair;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The rack's NATS credential, issued by the Mixer with its certificate: the rack makes a NATS
 * user key (an nkey) for each enrolment or renewal and sends only its public key; the Mixer
 * answers with a user JWT for it, and both go to {@code <snake folder>/nats.creds} (mode 0600,
 * replaced atomically), the file the wire transport's {@code credentials.file} names. The seed
 * never leaves the rack; the transport reads the file at every (re)connect, so a renewed
 * credential is used from the next connection on: the Mixer revokes the older keys once the rack
 * uses its renewed certificate (the file is written before that), and the server then closes the
 * old connection.
 *
 * <p>One object per request; not shared between threads.
 */
final class NatsCredential {
    /** The creds file in the snake folder. */
    static final String FILE = "nats.creds";

    private final NKeyPair key = NKeyPair.generate(NKeyPair.Type.USER);

    /** @return the public key to send ({@code U...}) */
    String publicKey() {
        return key.publicKey();
    }

    /**
     * @param dir the snake folder
     * @param jwt the Mixer's user JWT for {@link #publicKey()}, or null (the Mixer signs no NATS
     *     credentials): then nothing is written and an existing file stays
     * @return whether a credential was stored
     * @throws SnakeException when the JWT is not for this key
     */
    boolean store(Path dir, String jwt) throws SnakeException, IOException {
        if (jwt == null || jwt.isBlank()) {
            return false;
        }
        String claims;
        try {
            claims = Jwt.claimsJson(jwt);
        } catch (IllegalArgumentException e) {
            throw new SnakeException(0, "the Mixer's NATS credential is not a JWT: " + e.getMessage());
        }
        if (!claims.contains("\"sub\":\"" + key.publicKey() + "\"")) {
            throw new SnakeException(0, "the Mixer returned a NATS credential for another key");
        }
        char[] seed = key.seed();
        try {
            new Creds(jwt, seed).write(dir.resolve(FILE));
        } finally {
            java.util.Arrays.fill(seed, ' ');
        }
        return true;
    }
}
