package io.fluxrig.bench.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.Mixer;
import io.fluxrig.mixer.MixerSettings;
import io.fluxrig.mixer.store.RackQuery;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.TokenRecord;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.OperatorPaths;
import io.fluxrig.snake.api.fanout.FanOut;
import io.fluxrig.snake.api.fanout.FanOutRequest;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet simulator against a real Mixer (in-process, on a real nats-server), at a size CI can
 * afford: every simulated rack enrols through the real flow and is registered online with its
 * inventory; one fan-out command to every rack reaches every rack and every result is in its summary;
 * paging through the registry by label and state returns each matching rack exactly once.
 * Behaviour only: no timing is asserted (the bench measures, see bench/README.md).
 */
class FleetSimulatorTest {
    private static final int RACKS = 50;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void fiftyRacksEnrolHeartbeatReceiveOneCommandAndPageConsistently(@TempDir Path tmp) throws Exception {
        NatsServer started = NatsServer.started();
        // The server requires credentials: the Mixer reads its own from its data folder.
        Path natsDir = java.nio.file.Files.createDirectories(tmp.resolve("mixer").resolve("nats"));
        java.nio.file.Files.copy(started.creds(io.fluxrig.nats.trust.Role.MIXER), natsDir.resolve("mixer.creds"));
        java.nio.file.Files.copy(started.caFile(), natsDir.resolve("ca.crt")); // and verifies the server over TLS
        try (NatsServer nats = started;
                Mixer mixer = Mixer.start(new MixerSettings(tmp.resolve("mixer"), nats.url(), "127.0.0.1", 0, "127.0.0.1", 0,
                        List.of("localhost", "127.0.0.1"), "127.0.0.1:7443", "https://127.0.0.1:8443/system/console",
                        Duration.ofDays(30), 3, Duration.ofMillis(200)), Clock.systemUTC(), t -> { });
                FleetSimulator fleet = new FleetSimulator("127.0.0.1:" + mixer.snakePort(), mixer.ca().hash(), 1000, 0.2)) {
            SecureRandom random = new SecureRandom();
            FleetSimulator.TokenSource tokens = (rack, labels) -> mixer.store().tokens().mint(random,
                    new TokenRecord(rack, labels, System.currentTimeMillis(), System.currentTimeMillis() + 3_600_000, false, null));
            fleet.add(RACKS, tokens, 4, n -> { });

            Await.until("every simulated rack online in the registry, with its inventory", () -> online(mixer) == RACKS, PATIENCE);
            for (RackRecord listed : mixer.store().racks().list()) {
                RackRecord r = mixer.store().racks().get(listed.name()).orElseThrow(); // listings carry no inventory
                assertEquals(40, r.inventory().path("bundles").size(), r.name());
                assertEquals(FleetSimulator.labels(Integer.parseInt(r.name().substring(4))), r.labels(), r.name());
            }
            Await.until("a heartbeat answered for every rack", () -> fleet.stats().racksWithHeartbeat().size() == RACKS, PATIENCE);

            byte[] artifact = new byte[32 * 1024];
            random.nextBytes(artifact);
            String digest = mixer.artifacts().store(new java.io.ByteArrayInputStream(artifact)).digest();
            // one fan-out to every rack (the operator API's POST /api/fanouts)
            FanOut sent = mixer.fanOuts().create(new FanOutRequest("all", CommandType.FETCH_ARTIFACT.wire(),
                    Map.of(CommandType.DIGEST, digest)));
            assertEquals(RACKS, sent.total());
            Set<String> ids = new HashSet<>();
            sent.racks().forEach(r -> ids.add(r.command()));
            Await.until("the command reached every rack", () -> fleet.stats().receipts(ids).size() == RACKS, PATIENCE);
            Await.until("every rack's result in the fan-out's summary", () -> done(mixer, sent.id()) == RACKS, PATIENCE);
            assertEquals(0, mixer.commands().unfinishedCount());
            assertEquals(0, fleet.stats().reportFailures(), fleet.stats().failureSample().toString());

            List<String> paged = new ArrayList<>();
            String after = null;
            do {
                String cursor = after;
                RackQuery q = RackQuery.parse(p -> switch (p) {
                    case OperatorPaths.LABEL -> List.of("site=site-3");
                    case OperatorPaths.STATE -> List.of("online");
                    case OperatorPaths.LIMIT -> List.of("2");
                    case OperatorPaths.AFTER -> cursor == null ? List.of() : List.of(cursor);
                    default -> List.of();
                });
                RackQuery.Page page = mixer.store().racks().page(q);
                assertEquals(5, page.total(), "racks 3, 13, 23, 33, 43 are at site-3");
                page.racks().forEach(r -> paged.add(r.name()));
                after = page.next();
            } while (after != null);
            assertEquals(List.of("sim-00003", "sim-00013", "sim-00023", "sim-00033", "sim-00043"), paged);
            assertNull(mixer.store().racks().page(RackQuery.parse(p -> p.equals(OperatorPaths.LIMIT) ? List.of("50") : List.of()))
                    .next(), "one page of 50 holds the whole fleet");
            assertTrue(fleet.stats().heartbeats() >= RACKS);
        }
    }

    private static long online(Mixer mixer) {
        try {
            return mixer.store().racks().list().stream().filter(r -> RackRecord.ONLINE.equals(r.state()))
                    .count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static int done(Mixer mixer, String fanOut) {
        try {
            return mixer.fanOuts().get(fanOut, List.of()).orElseThrow().counts().get(FanOut.DONE);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
