package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.mixer.http.SnakeObserver;
import io.fluxrig.testsupport.Await;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stated requirement that the Snake multiplexes: while a 20 MB artifact is being fetched by
 * a rack that reads slowly (capped at 4 MiB/s, about 5 s), heartbeats every 200 ms keep arriving
 * at their period on the same HTTP/2 connection. An integration test with generous bounds (a
 * gap of at most 3 periods), not a benchmark.
 */
class SnakeMultiplexingTest {
    private static final long PERIOD = 200;

    record Beat(String connection, long at) {
    }

    record Transfer(String connection, long bytes, long start, long end) {
    }

    @Test
    void heartbeatsKeepTheirPeriodOnTheSameConnectionDuringASlowTransfer(@TempDir Path tmp) throws Exception {
        List<Beat> beats = new CopyOnWriteArrayList<>();
        List<Transfer> transfers = new CopyOnWriteArrayList<>();
        SnakeObserver observer = new SnakeObserver() {
            @Override
            public void heartbeat(String rack, String connection, long atMillis) {
                beats.add(new Beat(connection, atMillis));
            }

            @Override
            public void artifact(String rack, String connection, long bytes, long startMillis, long endMillis) {
                transfers.add(new Transfer(connection, bytes, startMillis, endMillis));
            }
        };
        byte[] content = new byte[20 * 1024 * 1024];
        new SecureRandom().nextBytes(content);
        try (MixerFixture f = new MixerFixture(tmp, Duration.ofDays(30), observer)) {
            String digest = f.mixer.artifacts().store(new ByteArrayInputStream(content)).digest();
            Path dir = f.enrol("edge-mux");
            String id;
            try (FakeRack snake = new FakeRack(f.snake(), "edge-mux", dir, PERIOD, 4L * 1024 * 1024).start()) {
                Await.until("heartbeats flowing", () -> beats.size() >= 5, MixerFixture.PATIENCE);
                id = f.mixer.commands().enqueue("edge-mux", "fetch-artifact", Map.of("digest", digest));
                Await.until("the transfer ends", () -> !transfers.isEmpty(), MixerFixture.PATIENCE);
                Await.until("the result", () -> {
                    try {
                        return f.mixer.commands().status(id).orElseThrow().finished();
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }, MixerFixture.PATIENCE);
                CommandRecord c = f.mixer.commands().status(id).orElseThrow();
                assertEquals(CommandRecord.DONE, c.state(), c.detail());
                assertEquals(0, snake.heartbeatFailures());
            }
            Transfer sent = transfers.get(0);
            assertEquals(content.length, sent.bytes());
            assertEquals(content.length, Files.size(dir.resolveSibling("artifacts").resolve(digest.substring(7))));
            // The Mixer's last write can end early (the client's HTTP/2 receive window buffers up to
            // 16 MiB); the transfer is in progress until the rack has read and verified it all,
            // which its result marks.
            long resultAt = f.mixer.commands().status(id).orElseThrow().finishedAt();
            Transfer t = new Transfer(sent.connection(), sent.bytes(), sent.start(), resultAt);
            assertTrue(t.end() - t.start() >= 3000, "the capped reader made the transfer slow: " + (t.end() - t.start()) + " ms");

            List<Beat> during = beats.stream().filter(b -> b.at() >= t.start() && b.at() <= t.end()).toList();
            for (Beat b : during) {
                assertEquals(t.connection(), b.connection(), "heartbeat on another connection than the transfer");
            }
            long maxGap = 0;
            long previous = t.start();
            for (Beat b : during) {
                maxGap = Math.max(maxGap, b.at() - previous);
                previous = b.at();
            }
            maxGap = Math.max(maxGap, t.end() - previous);
            System.out.println("heartbeats (ms after the transfer started): "
                    + beats.stream().map(b -> Long.toString(b.at() - t.start())).toList());
            System.out.printf("transfer %d bytes in %d ms (Mixer done writing after %d ms); %d heartbeats during it on connection %s; largest gap %d ms "
                    + "(period %d ms)%n", t.bytes(), t.end() - t.start(), sent.end() - sent.start(), during.size(), t.connection(), maxGap, PERIOD);
            assertTrue(during.size() >= (t.end() - t.start()) / PERIOD / 2, "heartbeats during the transfer: " + during.size());
            assertTrue(maxGap <= 3 * PERIOD, "largest heartbeat gap during the transfer: " + maxGap + " ms");
        }
    }
}
