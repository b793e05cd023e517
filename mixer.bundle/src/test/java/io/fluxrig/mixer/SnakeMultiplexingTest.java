package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.mixer.http.SnakeObserver;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.testsupport.Await;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stated requirement that the Snake multiplexes: while a rack holds a 40 MB artifact
 * download open and unread (its stream stopped by HTTP/2 flow control), its heartbeats keep being
 * accepted on the same HTTP/2 connection. The proof is an order of events, not a time: the rack
 * stops reading after the first MiB and resumes only once the Mixer has accepted five heartbeats
 * from it since it stopped; if the held stream blocked them, the wait would never end. Outcomes
 * asserted: the heartbeats came on the transfer's connection, none failed, the rack stayed online
 * (the offline rule is set far beyond the test's patience, so only heartbeats that stopped could
 * change that), and the artifact arrived whole and verified.
 */
class SnakeMultiplexingTest {
    private static final long PERIOD = 200;

    record Beat(String connection, long at) {
    }

    record Transfer(String connection, long bytes, long start, long end) {
    }

    @Test
    void heartbeatsAreAcceptedOnTheSameConnectionWhileATransferIsHeldOpen(@TempDir Path tmp) throws Exception {
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
        byte[] content = new byte[40 * 1024 * 1024]; // more than the client's HTTP/2 receive windows hold
        new SplittableRandom(7).nextBytes(content);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (MixerFixture f = new MixerFixture(tmp, observer, MixerFixture.OFFLINE_NEVER_BY_DELAY)) {
            String digest = f.mixer.artifacts().store(new ByteArrayInputStream(content)).digest();
            Path dir = f.enrol("edge-mux");
            String id;
            List<Beat> whileHeld;
            int transfersEndedWhileHeld;
            try (FakeRack snake = new FakeRack(f.snake(), "edge-mux", dir, PERIOD, 0)
                    .holdingDownloads(1024 * 1024, holding, release).start()) {
                Await.until("heartbeats flowing", () -> beats.size() >= 5, MixerFixture.PATIENCE);
                id = f.mixer.commands().enqueue("edge-mux", "fetch-artifact", Map.of("digest", digest));
                Await.until("the rack holding the download open", () -> holding.getCount() == 0, MixerFixture.PATIENCE);
                int before = beats.size();
                Await.until("five heartbeats accepted while the download is held", () -> beats.size() >= before + 5,
                        MixerFixture.PATIENCE);
                whileHeld = List.copyOf(beats.subList(before, before + 5));
                transfersEndedWhileHeld = transfers.size();
                assertEquals(RackRecord.ONLINE, f.mixer.store().racks().get("edge-mux").orElseThrow().state());
                release.countDown();
                Await.until("the result", () -> {
                    try {
                        return f.mixer.commands().status(id).orElseThrow().finished();
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }, MixerFixture.PATIENCE);
                CommandRecord c = f.mixer.commands().status(id).orElseThrow();
                assertEquals(CommandRecord.DONE, c.state(), c.detail());
                assertEquals(0, snake.heartbeatFailures(), "no heartbeat failed");
                assertEquals(RackRecord.ONLINE, f.mixer.store().racks().get("edge-mux").orElseThrow().state(),
                        "the rack was never marked offline");
            } finally {
                release.countDown();
            }
            Await.until("the Mixer's end of the transfer", () -> !transfers.isEmpty(), MixerFixture.PATIENCE);
            Transfer sent = transfers.get(0);
            assertEquals(content.length, sent.bytes());
            assertEquals(content.length, Files.size(dir.resolveSibling("artifacts").resolve(digest.substring(7))));
            for (Beat b : whileHeld) {
                assertEquals(sent.connection(), b.connection(), "heartbeat on another connection than the transfer");
            }
            System.out.printf("transfer of %d bytes on %s; 5 heartbeats accepted on it while the rack held the stream "
                    + "(the Mixer had %s writing by then)%n", sent.bytes(), sent.connection(),
                    transfersEndedWhileHeld == 0 ? "not finished" : "finished");
        }
    }
}
