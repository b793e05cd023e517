package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.testsupport.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second Mixer takes over: Mixer A stops; Mixer B, holding a copy of A's data folder (the CA)
 * and pointed at the same NATS, serves the address racks dial. The rack reconnects by itself
 * with its stored certificate; the registry and command history are intact.
 */
class MixerTakeoverTest {
    @Test
    void aSecondMixerWithTheSameCaAndNatsTakesOverTheRacks(@TempDir Path tmp) throws Exception {
        try (MixerFixture a = new MixerFixture(tmp)) {
            Path dir = a.enrol("edge-move");
            int port = a.mixer.snakePort();
            try (FakeRack snake = a.start("edge-move", dir, 100)) {
                RackRecord before = a.awaitRack("edge-move", r -> RackRecord.ONLINE.equals(r.state()));
                String done = a.mixer.commands().enqueue("edge-move", "renew-certificate", Map.of());
                Await.until("the renewal on A", () -> finished(a.mixer, done), MixerFixture.PATIENCE);
                RackRecord renewed = a.mixer.store().racks().get("edge-move").orElseThrow();

                a.mixer.close(); // Mixer A stops; the rack's Snake drops
                Await.until("the rack notices", () -> !"online".equals(snake.state()), MixerFixture.PATIENCE);

                Path bData = tmp.resolve("mixer-b");
                copy(tmp.resolve("mixer"), bData);
                MixerSettings bs = new MixerSettings(bData, a.nats.url(), "127.0.0.1", port, "127.0.0.1", 0,
                        List.of("localhost", "127.0.0.1"), "127.0.0.1:" + port, "https://127.0.0.1:8443/system/console",
                        Duration.ofDays(30), 3, Duration.ofMillis(50));
                try (Mixer b = Mixer.start(bs, Clock.systemUTC(), t -> {
                    throw new AssertionError("B must reuse A's operator token, not make one");
                })) {
                    assertEquals(a.mixer.ca().hash(), b.ca().hash(), "the same CA");
                    long back = System.currentTimeMillis();
                    Await.until("the rack reconnects to B", () -> {
                        try {
                            RackRecord r = b.store().racks().get("edge-move").orElseThrow();
                            return r.lastSeen() > back && RackRecord.ONLINE.equals(r.state());
                        } catch (java.io.IOException e) {
                            throw new AssertionError(e);
                        }
                    }, MixerFixture.PATIENCE);
                    RackRecord after = b.store().racks().get("edge-move").orElseThrow();
                    assertEquals(renewed.certSerial(), after.certSerial());
                    assertEquals(before.labels(), after.labels());
                    assertEquals(before.firstSeen(), after.firstSeen());
                    assertEquals(CommandRecord.DONE, b.commands().status(done).orElseThrow().state(), "history intact");
                    String id = b.commands().enqueue("edge-move", "no-such-thing", Map.of());
                    Await.until("a command through B", () -> finished(b, id), MixerFixture.PATIENCE);
                    assertEquals(CommandRecord.REFUSED, b.commands().status(id).orElseThrow().state());
                    assertTrue(snake.heartbeats() > 0);
                }
            }
        }
    }

    private static boolean finished(Mixer m, String id) {
        try {
            return m.commands().status(id).map(CommandRecord::finished).orElse(false);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
