package io.fluxrig.console.guard;

import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the console user and password against the configured PBKDF2 hash. HTTP Basic sends the
 * password with every request (a console page loads a dozen resources), and one PBKDF2 check
 * costs a good part of a CPU second, so credentials once accepted are remembered as an HMAC under
 * a key made at random for this instance (never stored, never the password itself): a repeat
 * costs one HMAC. Slow checks run one at a time, so failed guesses occupy at most one core.
 * The user {@code admin} with the password {@code admin} is refused whatever the hash says.
 *
 * <p>Thread-safe: the remembered set is concurrent; the slow path is serialised on this object.
 */
final class PasswordCheck {
    /** Remembered accepted credentials; more than this (a changed password, many users) clears the set. */
    private static final int MAX_REMEMBERED = 32;

    private final String user;
    private final String hash;
    private final byte[] key = new byte[32];
    private final Map<String, Boolean> accepted = new ConcurrentHashMap<>();

    /**
     * @param user the configured user
     * @param hash a hash that {@link ConsolePasswordHash#invalid} accepts
     */
    PasswordCheck(String user, String hash) {
        this.user = user;
        this.hash = hash;
        new SecureRandom().nextBytes(key);
    }

    /** @return whether these are the console's credentials */
    boolean accepts(String presentedUser, char[] password) {
        if (!user.equals(presentedUser) || ("admin".equals(presentedUser) && "admin".contentEquals(CharBuffer.wrap(password)))) {
            return false;
        }
        String fingerprint = fingerprint(presentedUser, password);
        if (accepted.containsKey(fingerprint)) {
            return true;
        }
        boolean ok;
        synchronized (this) {
            ok = ConsolePasswordHash.matches(password, hash);
        }
        if (ok) {
            if (accepted.size() >= MAX_REMEMBERED) {
                accepted.clear();
            }
            accepted.put(fingerprint, Boolean.TRUE);
        }
        return ok;
    }

    private String fingerprint(String presentedUser, char[] password) {
        ByteBuffer pw = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[pw.remaining()];
        pw.get(bytes);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(presentedUser.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (pw.hasArray()) {
                Arrays.fill(pw.array(), (byte) 0);
            }
        }
    }

    /** For tests: whether a second check of the same credentials skips PBKDF2 (same fingerprint). */
    boolean remembers(String presentedUser, char[] password) {
        return accepted.containsKey(fingerprint(presentedUser, password));
    }
}
