package io.fluxrig.mixer.http;

import io.fluxrig.snake.api.OperatorTokenFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API's bearer token. Generated at first start (32 random bytes) and handed over in
 * its 0600 file, never printed; the Mixer keeps only its SHA-256 (and an optional expiry) in
 * {@code <data>/api-token.sha256} (0600, {@link OperatorTokenFiles}). {@code fluxrig operator-token
 * rotate} replaces both files: the hash file (a line or two) is read again at every request, so
 * the old token is refused from the next request on, without a restart. An expired token is
 * refused. Comparison is constant-time.
 *
 * <p>Thread-safe: the current hash is swapped under this object's lock.
 */
public final class OperatorToken {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorToken.class);

    private final Path data;
    private final Clock clock;
    private OperatorTokenFiles.Stored stored;

    private OperatorToken(Path data, Clock clock, OperatorTokenFiles.Stored stored) {
        this.data = data;
        this.clock = clock;
        this.stored = stored;
    }

    /**
     * @param dir the Mixer data folder
     * @param random randomness
     * @param firstStart receives the new token when one is generated (hand it over in its file)
     * @return the verifier
     * @throws IOException when the file cannot be read or written
     */
    public static OperatorToken loadOrCreate(Path dir, SecureRandom random, java.util.function.Consumer<String> firstStart)
            throws IOException {
        return loadOrCreate(dir, random, firstStart, Clock.systemUTC());
    }

    static OperatorToken loadOrCreate(Path dir, SecureRandom random, java.util.function.Consumer<String> firstStart, Clock clock)
            throws IOException {
        if (OperatorTokenFiles.read(dir) == null) {
            String token = OperatorTokenFiles.generate(random);
            OperatorTokenFiles.writeHash(dir, token, null);
            firstStart.accept(token);
        }
        return new OperatorToken(dir, clock, OperatorTokenFiles.read(dir));
    }

    /**
     * @param authorization the {@code Authorization} header, may be null
     * @return whether it carries the current, unexpired operator token
     */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        OperatorTokenFiles.Stored s = current();
        if (s.expires() != null && !clock.instant().isBefore(s.expires())) {
            return false;
        }
        return MessageDigest.isEqual(s.sha256(), OperatorTokenFiles.sha256(authorization.substring(7).trim()));
    }

    /**
     * Replaces the token (through the operator API, so an operator away from the Mixer's host can
     * rotate it): its hash file and the Mixer's own {@code operator.token} are rewritten (0600), and
     * the old token is refused from this call on.
     *
     * @param random randomness
     * @param expires when the new token expires, or null for never
     * @return the new token (for the caller only: never logged)
     */
    public synchronized String rotate(SecureRandom random, Instant expires) throws IOException {
        String token = OperatorTokenFiles.generate(random);
        OperatorTokenFiles.write(data, token, expires);
        stored = OperatorTokenFiles.read(data);
        LOG.info("operator API token rotated through the API ({}{}); the previous token is refused from now on",
                data.resolve(OperatorTokenFiles.HASH), expires == null ? ", no expiry" : ", expires " + expires);
        return token;
    }

    /** @return the stored hash, read again; the last good one when the file cannot be read */
    private synchronized OperatorTokenFiles.Stored current() {
        try {
            OperatorTokenFiles.Stored next = OperatorTokenFiles.read(data);
            if (next != null) {
                if (!java.util.Arrays.equals(next.sha256(), stored.sha256())) {
                    LOG.info("operator API token replaced ({}{})", data.resolve(OperatorTokenFiles.HASH),
                            next.expires() == null ? ", no expiry" : ", expires " + next.expires());
                }
                stored = next;
            }
        } catch (IOException e) {
            LOG.warn("operator API token file cannot be read, the previous token stays: {}", e.toString());
        }
        return stored;
    }
}
