package io.fluxrig.mixer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Changes of one rack submitted while its write runs are merged into one later write; a flush waits for them. */
class HeartbeatWriterTest {

    @Test
    void changesWaitingForARackAreMergedAndWrittenInOrder() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        try (HeartbeatWriter<String> w = new HeartbeatWriter<>(4, (a, b) -> a + "+" + b, (rack, change) -> {
            if (change.equals("1")) {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            written.add(rack + ":" + change);
        })) {
            w.submit("r1", "1");
            assertTrue(running.await(30, TimeUnit.SECONDS));
            w.submit("r1", "2");
            w.submit("r1", "3");
            w.submit("r2", "x");
            assertTrue(w.flush("r2", 30_000), "another rack is written meanwhile");
            assertEquals(List.of("r2:x"), written);
            assertEquals(1, w.backlog(), "r1: one running, one merged change waiting");
            release.countDown();
            assertTrue(w.flush("r1", 30_000));
            assertEquals(List.of("r2:x", "r1:1", "r1:2+3"), written);
            assertEquals(0, w.backlog());
        }
    }
}
