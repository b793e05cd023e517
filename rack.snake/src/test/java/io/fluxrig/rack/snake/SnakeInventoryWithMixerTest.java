package io.fluxrig.rack.snake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.mixer.Mixer;
import io.fluxrig.mixer.MixerSettings;
import io.fluxrig.mixer.http.SnakeObserver;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.TokenRecord;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.Inventory;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rack's Snake against the real Mixer (in this JVM, on a real nats-server): the inventory
 * travels once, then only its digest with the gears' counters; a changed bundle list sends it
 * again; a restarted Mixer, which holds no digest, gets it again. Only counts and the registry's
 * records are asserted, never a time.
 */
class SnakeInventoryWithMixerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String RACK = "edge-inv";

    @TempDir
    Path tmp;
    NatsServer nats;
    Mixer mixer;
    int snakePort;

    @BeforeEach
    void start() throws Exception {
        nats = NatsServer.started();
        Path natsDir = Files.createDirectories(tmp.resolve("mixer/nats/trust"));
        Files.copy(nats.creds(Role.MIXER), natsDir.resolveSibling("mixer.creds"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(nats.caFile(), natsDir.resolveSibling("ca.crt"), StandardCopyOption.REPLACE_EXISTING); // NATS is TLS
        try (var seeds = Files.list(nats.trust().dir())) {
            for (Path seed : seeds.toList()) {
                Files.copy(seed, natsDir.resolve(seed.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            snakePort = s.getLocalPort(); // fixed, so a restarted Mixer answers where the rack dials
        }
        mixer = startMixer();
    }

    private Mixer startMixer() throws Exception {
        MixerSettings s = new MixerSettings(tmp.resolve("mixer"), nats.url(), "127.0.0.1", snakePort, "127.0.0.1", 0,
                List.of("localhost", "127.0.0.1"), "127.0.0.1:" + snakePort, "https://127.0.0.1:8443/system/console",
                Duration.ofDays(30), 3, Duration.ofMillis(100));
        return Mixer.start(s, Clock.systemUTC(), t -> { }, SnakeObserver.NONE);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (mixer != null) {
                mixer.close();
            }
        } finally {
            nats.close();
        }
    }

    /** The rack's inventory as the test sets it: bundles by name, one gear whose counter moves. */
    private static Inventory inventory(List<String> bundles, long in) {
        List<Inventory.Bundle> list = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            list.add(new Inventory.Bundle(i + 1, bundles.get(i), "1.0.0", "ACTIVE"));
        }
        return new Inventory(list, Map.of(), List.of(), List.of(new Inventory.Gear("codec", "json.codec", "b 1.0.0",
                "running", in, in, 0)), List.of("src.out -> codec.in"), null, List.of());
    }

    private RackRecord await(String what, Predicate<RackRecord> condition) throws InterruptedException {
        AtomicReference<RackRecord> seen = new AtomicReference<>();
        Await.until(what, () -> {
            try {
                Optional<RackRecord> r = mixer.store().racks().get(RACK);
                r.filter(x -> x.inventory() != null && condition.test(x)).ifPresent(seen::set);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return seen.get() != null;
        }, PATIENCE);
        return seen.get();
    }

    private static String bundle(RackRecord r, int i) {
        return r.inventory().at("/bundles/" + i + "/symbolicName").asText();
    }

    private static long gearIn(RackRecord r) {
        JsonNode in = r.inventory().at("/gears/0/in");
        return in.isNumber() ? in.asLong() : -1;
    }

    @Test
    void theInventoryTravelsOnceThenOnlyWhenItChangedOrTheMixerForgotIt() throws Exception {
        String token = mixer.store().tokens().mint(new SecureRandom(), new TokenRecord(RACK, Map.of("site", "lab"),
                System.currentTimeMillis(), System.currentTimeMillis() + 3_600_000, false, null));
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, token);
        AtomicReference<List<String>> bundles = new AtomicReference<>(List.of("a"));
        AtomicLong counter = new AtomicLong(1);
        SnakeSettings settings = new SnakeSettings("127.0.0.1:" + snakePort, tokenFile, mixer.ca().hash(), RACK,
                tmp.resolve("rack/snake"), 100, 500);
        try (Snake snake = new Snake(settings, () -> new Heartbeat(100, Map.of(), inventory(bundles.get(), counter.get())),
                new SecureRandom())) {
            snake.start();
            await("the first inventory", r -> "a".equals(bundle(r, 0)));
            long beats = snake.heartbeats();
            Await.until("five more heartbeats", () -> snake.heartbeats() >= beats + 5, PATIENCE);
            assertEquals(0, snake.heartbeatFailures());
            assertEquals(1, snake.inventoriesSent(), "the inventory travelled once, the other heartbeats carried its digest");

            counter.set(42); // only the gear's counter moves: still the digest, with the gears
            await("the gear's counter", r -> gearIn(r) == 42);
            assertEquals(1, snake.inventoriesSent());
            assertEquals("a", bundle(await("the inventory kept", r -> true), 0));

            bundles.set(List.of("a", "b")); // a bundle was installed: the inventory travels again
            await("the second inventory", r -> "b".equals(bundle(r, 1)));
            long after = snake.heartbeats();
            Await.until("five more heartbeats", () -> snake.heartbeats() >= after + 5, PATIENCE);
            assertEquals(0, snake.heartbeatFailures());
            assertEquals(2, snake.inventoriesSent(), "once per change");

            // A restarted Mixer holds no digest: the rack's inventory reaches it again.
            mixer.close();
            mixer = null;
            bundles.set(List.of("a", "b", "c")); // changed while the Mixer was away, so the new one must get it from the rack
            mixer = startMixer();
            await("the inventory after the restart", r -> RackRecord.ONLINE.equals(r.state()) && "c".equals(bundle(r, 2)));
            // The rack counts a heartbeat when its answer arrives, after the Mixer stored it.
            Await.until("the rack counted the third inventory", () -> snake.inventoriesSent() >= 3, PATIENCE);
            long restarted = snake.heartbeats();
            Await.until("five more heartbeats", () -> snake.heartbeats() >= restarted + 5, PATIENCE);
            assertEquals(3, snake.inventoriesSent(), "the restarted Mixer got the inventory once, then digests again");
            counter.set(43);
            await("the gear's counter after the restart", r -> gearIn(r) == 43);
        }
    }
}
