package io.fluxrig.console.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordCheckTest {
    @Test
    void acceptsOnlyTheConfiguredUserAndPasswordAndRemembersIt() {
        PasswordCheck check = new PasswordCheck("ops", ConsolePasswordHash.hash("studio-pass-42".toCharArray(), new SecureRandom()));
        assertFalse(check.accepts("admin", "studio-pass-42".toCharArray()));
        assertFalse(check.accepts("ops", "studio-pass-43".toCharArray()));
        assertFalse(check.remembers("ops", "studio-pass-43".toCharArray()), "a refusal is not remembered");
        assertTrue(check.accepts("ops", "studio-pass-42".toCharArray()));
        assertTrue(check.remembers("ops", "studio-pass-42".toCharArray()));
        assertTrue(check.accepts("ops", "studio-pass-42".toCharArray()));
    }

    @Test
    void adminAdminIsRefusedEvenWhenTheHashSaysSo() {
        // A hand-made hash of "admin" (hash() itself refuses to make one).
        byte[] salt = new byte[16];
        String adminHash = io.fluxrig.console.credentials.ConsolePasswordHashAccess.encode("admin", salt);
        PasswordCheck check = new PasswordCheck("admin", adminHash);
        assertFalse(check.accepts("admin", "admin".toCharArray()));
    }

    @Test
    void basicHeaderParsing() {
        String header = "Basic " + Base64.getEncoder().encodeToString("ops:pa:ss wörd".getBytes(StandardCharsets.UTF_8));
        BasicCredentials c = BasicCredentials.parse(header);
        assertEquals("ops", c.user());
        assertEquals("pa:ss wörd", new String(c.password()));
        assertNull(BasicCredentials.parse(null));
        assertNull(BasicCredentials.parse("Bearer abc"));
        assertNull(BasicCredentials.parse("Basic !!!"));
        assertNull(BasicCredentials.parse("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8))));
    }
}
