package io.fluxrig.console.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ConsolePasswordHashTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void hashIsPbkdf2WithAtLeast600000IterationsAndMatchesOnlyItsPassword() {
        String h = ConsolePasswordHash.hash("correct horse".toCharArray(), random);
        String[] parts = h.split("\\$");
        assertEquals("pbkdf2-sha256", parts[0]);
        assertTrue(Integer.parseInt(parts[1]) >= 600_000, h);
        assertNull(ConsolePasswordHash.invalid(h));
        assertTrue(ConsolePasswordHash.matches("correct horse".toCharArray(), h));
        assertFalse(ConsolePasswordHash.matches("correct horsE".toCharArray(), h));
        assertNotEquals(h, ConsolePasswordHash.hash("correct horse".toCharArray(), random), "salted");
    }

    /** RFC 8018's PBKDF2 computed independently with HMAC-SHA256 for one block (2 iterations). */
    @Test
    void deriveIsPbkdf2HmacSha256() throws Exception {
        byte[] salt = "salt-of-16-bytes".getBytes(StandardCharsets.US_ASCII);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("pw".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(salt);
        byte[] u1 = mac.doFinal(new byte[] {0, 0, 0, 1});
        byte[] u2 = mac.doFinal(u1);
        byte[] t = new byte[32];
        for (int i = 0; i < 32; i++) {
            t[i] = (byte) (u1[i] ^ u2[i]);
        }
        assertEquals(Base64.getEncoder().encodeToString(t),
                Base64.getEncoder().encodeToString(ConsolePasswordHash.derive("pw".toCharArray(), salt, 2)));
    }

    @Test
    void weakOrForeignHashesAreInvalid() {
        byte[] salt = new byte[16];
        byte[] key = ConsolePasswordHash.derive("password1".toCharArray(), salt, 1000);
        String few = ConsolePasswordHash.encode(1000, salt, key);
        assertTrue(ConsolePasswordHash.invalid(few).contains("1000 iterations"), ConsolePasswordHash.invalid(few));
        assertFalse(ConsolePasswordHash.matches("password1".toCharArray(), few), "too few iterations never match");
        // Felix's own format (and its admin default) is not accepted.
        assertNotNull(ConsolePasswordHash.invalid("{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg="));
        assertNotNull(ConsolePasswordHash.invalid("admin"));
        assertNotNull(ConsolePasswordHash.invalid(null));
        assertNotNull(ConsolePasswordHash.invalid("pbkdf2-sha256$700000$!!$??"));
    }

    @Test
    void shortAndAdminPasswordsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ConsolePasswordHash.hash("short".toCharArray(), random));
        assertThrows(IllegalArgumentException.class, () -> ConsolePasswordHash.hash("admin".toCharArray(), random));
        assertNull(ConsolePasswordHash.problem("long enough".toCharArray()));
    }
}
