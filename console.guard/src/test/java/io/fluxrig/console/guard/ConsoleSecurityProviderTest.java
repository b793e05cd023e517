package io.fluxrig.console.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.lang.annotation.Annotation;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Which configurations get the console a security provider, and what the others are told. */
class ConsoleSecurityProviderTest {

    private static ConsoleConfig config(String user, String hash) {
        return new ConsoleConfig() {
            @Override
            public String user() {
                return user;
            }

            @Override
            public String password_hash() {
                return hash;
            }

            @Override
            public String[] allowed_origins() {
                return new String[0];
            }

            @Override
            public boolean allow_missing_origin() {
                return false;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return ConsoleConfig.class;
            }
        };
    }

    @Test
    void aUserWithAValidHashIsServedAndEveryOtherConfigurationIsRefusedNamingItsProperty() {
        String hash = ConsolePasswordHash.hash("a long enough password".toCharArray(), new SecureRandom());
        assertNull(ConsoleSecurityProvider.refusal(config("fluxrig", hash)));
        assertEquals("password.hash: no password hash", ConsoleSecurityProvider.refusal(config("fluxrig", null)),
                "a first start's configuration, until the bootstrap writes a hash");
        assertEquals("password.hash: no password hash", ConsoleSecurityProvider.refusal(config("fluxrig", " ")));
        assertEquals("user: empty", ConsoleSecurityProvider.refusal(config(" ", hash)));
        assertEquals("password.hash: not a pbkdf2-sha256$ITERATIONS$SALT$KEY hash",
                ConsoleSecurityProvider.refusal(config("fluxrig", "admin")));
    }
}
