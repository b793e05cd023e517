package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.http.SnakeObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Snake when its registry fails in a way the stores do not turn into an {@code IOException}: the
 * Mixer's NATS connection closed, so jnats throws {@code IllegalStateException} from every KV call.
 * Such an exception once reached Jetty, which answered a bare 500 (its own error page, no reason).
 * Every answer must be a refusal with the Mixer's reason, counted by route and status.
 */
class SnakeStoreFailureTest {
    @Test
    void anEnrolmentAndAHeartbeatAgainstAClosedRegistryAreRefusedWithTheReasonAndCounted(@TempDir Path tmp) throws Exception {
        List<String> refused = new CopyOnWriteArrayList<>();
        SnakeObserver counting = new SnakeObserver() {
            @Override
            public void refused(String route, int status) {
                refused.add(route + " " + status);
            }
        };
        try (MixerFixture f = new MixerFixture(tmp, java.time.Duration.ofDays(30), counting)) {
            Path enrolled = f.enrol("before");
            String token = f.mint("after", "1h");
            f.mixer.store().close(); // the registry's NATS connection is gone: every KV call now throws IllegalStateException

            FakeRack.Refused r = assertThrows(FakeRack.Refused.class, () -> FakeRack.enrol(f.snake(), "after",
                    tmp.resolve("after"), token, f.mixer.ca().hash()));
            assertEquals(503, r.status(), r.getMessage());
            assertTrue(r.getMessage().contains("the Mixer cannot answer now: ") && r.getMessage().contains("Closed"),
                    r.getMessage());
            assertTrue(refused.contains("ENROL 503"), refused.toString());

            try (FakeRack rack = f.start("before", enrolled, 100)) {
                io.fluxrig.testsupport.Await.until("a heartbeat refused", () -> refused.contains("HEARTBEAT 503"),
                        MixerFixture.PATIENCE);
            }
        }
    }
}
