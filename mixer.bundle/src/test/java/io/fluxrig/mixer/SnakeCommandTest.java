package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.testsupport.Await;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commands with ids over the Snake: delivered again after a reconnect, results stored with the
 * command, artifacts served for verification, unknown racks and malformed types refused. The rack
 * is the contract's {@link FakeRack}.
 */
class SnakeCommandTest {
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer();
    static MixerFixture f;

    private static CommandRecord await(String id, Predicate<CommandRecord> condition) throws Exception {
        Await.until("command " + id, () -> {
            try {
                return f.mixer.commands().status(id).filter(condition).isPresent();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }, MixerFixture.PATIENCE);
        return f.mixer.commands().status(id).orElseThrow();
    }

    private static FakeRack rack(String rack, Path dir) {
        return f.start(rack, dir, 100);
    }

    @Test
    void aCommandExecutesOnceEvenWhenTheRackReconnectsAndReceivesItAgain() throws Exception {
        Path dir = f.enrol("edge-once");
        String enrolled = f.mixer.store().racks().get("edge-once").orElseThrow().certSerial();
        String id;
        String renewed;
        try (FakeRack snake = rack("edge-once", dir)) {
            id = f.mixer.commands().enqueue("edge-once", "renew-certificate", Map.of());
            CommandRecord done = await(id, CommandRecord::finished);
            assertEquals(CommandRecord.DONE, done.state(), done.detail());
            renewed = f.mixer.store().racks().get("edge-once").orElseThrow().certSerial();
            assertNotEquals(enrolled, renewed, "the command renewed the certificate");
            assertTrue(done.detail().contains("serial " + renewed), done.detail());
            assertEquals(1, done.deliveries());
        }
        // The result is doubted (say it was lost): the Mixer delivers the same id again, after the
        // rack has restarted and reconnected. The rack answers from its ledger; no second renewal.
        assertEquals(CommandRecord.PENDING, f.mixer.commands().redeliver(id).orElseThrow().state());
        try (FakeRack again = rack("edge-once", dir)) {
            CommandRecord twice = await(id, c -> c.finished() && c.reports() == 2);
            assertEquals(CommandRecord.DONE, twice.state());
            // At least twice: a poll the stopped rack left held on the Mixer (its connection is not
            // closed until the JVM collects its client) may also be handed the command, unread.
            assertTrue(twice.deliveries() >= 2, "deliveries: " + twice.deliveries());
            assertEquals(renewed, f.mixer.store().racks().get("edge-once").orElseThrow().certSerial(), "renewed exactly once");
            assertEquals(renewed, FakeRack.load(dir).chain()[0].getSerialNumber().toString(16));
            assertEquals(1, Files.readAllLines(dir.resolve("commands.log")).stream().filter(l -> l.contains(id)).count());
        }
    }

    @Test
    void anUnknownCommandTypeIsRefusedByTheRackWithTheReason() throws Exception {
        Path dir = f.enrol("edge-unknown");
        try (FakeRack snake = rack("edge-unknown", dir)) {
            String id = f.mixer.commands().enqueue("edge-unknown", "reboot-now", Map.of());
            CommandRecord c = await(id, CommandRecord::finished);
            assertEquals(CommandRecord.REFUSED, c.state());
            assertTrue(c.detail().startsWith("unknown command type 'reboot-now'"), c.detail());
            assertEquals(List.of(id), f.mixer.commands().list("edge-unknown").stream().map(CommandRecord::id).toList());
        }
    }

    @Test
    void fetchArtifactDownloadsAndVerifiesTheDigest() throws Exception {
        byte[] content = new byte[1 << 20];
        new SecureRandom().nextBytes(content);
        String digest = f.mixer.artifacts().store(new ByteArrayInputStream(content)).digest();
        assertEquals("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), digest);
        // An artifact whose stored bytes do not match its name (corrupted on the Mixer).
        String liar = "sha256:" + "ab".repeat(32);
        Files.write(f.dir.resolve("mixer/artifacts").resolve(liar.substring(7)), new byte[] {1, 2, 3});
        String missing = "sha256:" + "cd".repeat(32);

        Path dir = f.enrol("edge-fetch");
        Path artifacts = dir.resolveSibling("artifacts");
        try (FakeRack snake = rack("edge-fetch", dir)) {
            CommandRecord ok = await(f.mixer.commands().enqueue("edge-fetch", "fetch-artifact", Map.of("digest", digest)),
                    CommandRecord::finished);
            assertEquals(CommandRecord.DONE, ok.state(), ok.detail());
            assertArrayEquals(content, Files.readAllBytes(artifacts.resolve(digest.substring(7))));

            CommandRecord bad = await(f.mixer.commands().enqueue("edge-fetch", "fetch-artifact", Map.of("digest", liar)),
                    CommandRecord::finished);
            assertEquals(CommandRecord.FAILED, bad.state());
            assertTrue(bad.detail().contains("digest mismatch"), bad.detail());
            assertFalse(Files.exists(artifacts.resolve(liar.substring(7))), "an unverified artifact is never kept");

            CommandRecord none = await(f.mixer.commands().enqueue("edge-fetch", "fetch-artifact", Map.of("digest", missing)),
                    CommandRecord::finished);
            assertEquals(CommandRecord.FAILED, none.state());
            assertTrue(none.detail().contains("(404): no artifact " + missing), none.detail());

            CommandRecord malformed = await(f.mixer.commands().enqueue("edge-fetch", "fetch-artifact", Map.of("digest", "md5:x")),
                    CommandRecord::finished);
            assertEquals(CommandRecord.FAILED, malformed.state());
            assertTrue(malformed.detail().startsWith("argument 'digest' must be sha256:"), malformed.detail());
        }
    }

    @Test
    void theMixerRefusesCommandsForUnknownRacksAndMalformedTypes() throws Exception {
        Commands.Refused unknown = assertThrows(Commands.Refused.class, () -> f.mixer.commands().enqueue("nobody", "renew-certificate", Map.of()));
        assertEquals("rack: no rack 'nobody'", unknown.getMessage());
        f.enrol("edge-typo");
        Commands.Refused type = assertThrows(Commands.Refused.class, () -> f.mixer.commands().enqueue("edge-typo", "Renew Now", Map.of()));
        assertTrue(type.getMessage().startsWith("type: 'Renew Now'"), type.getMessage());
    }
}
