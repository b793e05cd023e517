package io.fluxrig.mixer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.snake.api.OperatorTokenFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator token: handed over once, rotated in its files without a restart, refused when expired. */
class OperatorTokenTest {
    @TempDir
    Path data;

    private final List<String> handedOver = new ArrayList<>();

    @Test
    void aRotatedTokenReplacesTheOldOneAtTheNextRequest() throws Exception {
        OperatorToken verifier = OperatorToken.loadOrCreate(data, new SecureRandom(), handedOver::add);
        assertEquals(1, handedOver.size());
        String first = handedOver.get(0);
        assertTrue(verifier.accepts("Bearer " + first));
        assertFalse(verifier.accepts("Bearer " + first + "x"));
        assertFalse(verifier.accepts(first), "not a bearer header");

        String second = OperatorTokenFiles.generate(new SecureRandom());
        OperatorTokenFiles.write(data, second, null);
        assertFalse(verifier.accepts("Bearer " + first), "the old token is refused after rotation");
        assertTrue(verifier.accepts("Bearer " + second));
        assertEquals(second + "\n", Files.readString(data.resolve(OperatorTokenFiles.TOKEN)));

        // A restart reads the rotated hash and generates nothing.
        OperatorToken again = OperatorToken.loadOrCreate(data, new SecureRandom(), handedOver::add);
        assertEquals(1, handedOver.size());
        assertTrue(again.accepts("Bearer " + second));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = OperatorTokenFiles.generate(new SecureRandom());
        Instant expires = Instant.parse("2030-01-01T00:00:00Z");
        OperatorTokenFiles.write(data, token, expires);
        Clock before = Clock.fixed(expires.minusSeconds(1), ZoneOffset.UTC);
        Clock after = Clock.fixed(expires, ZoneOffset.UTC);
        assertTrue(OperatorToken.loadOrCreate(data, new SecureRandom(), handedOver::add, before).accepts("Bearer " + token));
        assertFalse(OperatorToken.loadOrCreate(data, new SecureRandom(), handedOver::add, after).accepts("Bearer " + token));
        assertTrue(handedOver.isEmpty());
        assertEquals(expires, OperatorTokenFiles.read(data).expires());
    }
}
