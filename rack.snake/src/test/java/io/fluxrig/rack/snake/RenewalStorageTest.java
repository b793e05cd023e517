package io.fluxrig.rack.snake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewal interrupted at each point leaves one matching key and certificate pair. */
class RenewalStorageTest {
    private static void write(Path dir, String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    @Test
    void interruptedBeforeTheCertificateWasWrittenKeepsTheCurrentPair(@TempDir Path dir) throws Exception {
        write(dir, "rack.key", "old key");
        write(dir, "rack.crt", "old cert");
        write(dir, "rack.key.next", "new key");
        SnakeIdentity.finishRenewal(dir);
        assertEquals("old key", Files.readString(dir.resolve("rack.key")));
        assertEquals("old cert", Files.readString(dir.resolve("rack.crt")));
        assertFalse(Files.exists(dir.resolve("rack.key.next")));
    }

    @Test
    void interruptedAfterBothWereWrittenCompletesTheRotation(@TempDir Path dir) throws Exception {
        write(dir, "rack.key", "old key");
        write(dir, "rack.crt", "old cert");
        write(dir, "rack.key.next", "new key");
        write(dir, "rack.crt.next", "new cert");
        SnakeIdentity.finishRenewal(dir);
        assertEquals("new key", Files.readString(dir.resolve("rack.key")));
        assertEquals("new cert", Files.readString(dir.resolve("rack.crt")));
    }

    @Test
    void interruptedBetweenTheTwoRenamesCompletesTheRotation(@TempDir Path dir) throws Exception {
        write(dir, "rack.key", "new key");
        write(dir, "rack.crt", "old cert");
        write(dir, "rack.crt.next", "new cert");
        SnakeIdentity.finishRenewal(dir);
        assertEquals("new key", Files.readString(dir.resolve("rack.key")));
        assertEquals("new cert", Files.readString(dir.resolve("rack.crt")));
        assertFalse(Files.exists(dir.resolve("rack.crt.next")));
    }
}
