package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.testsupport.Await;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NATS stops under a running Mixer and comes back (same port, same store): reported, then recovered. */
class NatsOutageTest {
    @Test
    void theMixerReportsNatsDownAndRecoversByItselfWithTheRegistryIntact(@TempDir Path tmp) throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            assertEquals(Boolean.TRUE, f.mixer.health().get("ready"));
            Path dir = f.enrol("edge-nats");
            try (FakeRack snake = f.start("edge-nats", dir, 100)) {
                RackRecord before = f.awaitRack("edge-nats", r -> RackRecord.ONLINE.equals(r.state()));

                f.nats.stop();
                Await.until("the Mixer reports NATS down", () -> "disconnected".equals(f.mixer.health().get("nats")), MixerFixture.PATIENCE);
                assertEquals(Boolean.FALSE, f.mixer.health().get("ready"));
                Await.until("the rack is told the registry is unavailable",
                        () -> snake.state().contains("(503): the Mixer's registry is unavailable"), MixerFixture.PATIENCE);

                f.nats.start();
                Await.until("the Mixer reconnects by itself", () -> Boolean.TRUE.equals(f.mixer.health().get("ready")), MixerFixture.PATIENCE);
                assertEquals(1, f.mixer.health().get("outages"));
                long back = System.currentTimeMillis();
                RackRecord after = f.awaitRack("edge-nats", r -> r.lastSeen() > back && RackRecord.ONLINE.equals(r.state()));
                assertEquals(before.certSerial(), after.certSerial());
                assertEquals(before.labels(), after.labels());
                assertEquals(before.firstSeen(), after.firstSeen());
                Await.until("the rack online again", () -> "online".equals(snake.state()), MixerFixture.PATIENCE);

                // Writes work again: a command goes through the registry, the stream and back.
                String id = f.mixer.commands().enqueue("edge-nats", "no-such-thing", Map.of());
                Await.until("the command's result", () -> {
                    try {
                        return f.mixer.commands().status(id).orElseThrow().finished();
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }, MixerFixture.PATIENCE);
                assertEquals(CommandRecord.REFUSED, f.mixer.commands().status(id).orElseThrow().state());
            }
        }
    }
}
