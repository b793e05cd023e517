package io.fluxrig.rack.snake;

import io.fluxrig.mixer.Mixer;
import io.fluxrig.mixer.MixerSettings;
import io.fluxrig.mixer.http.SnakeObserver;
import io.fluxrig.mixer.store.TokenRecord;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.Inventory;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.ReleaseTrust;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a regular test (runs only with {@code -Dprobe.heartbeat.seconds=N}): the
 * rack's CPU for its heartbeats, with inventory digests against a rack that sends its full
 * inventory every time (as racks did before digests), in the same run. Both racks are the real
 * Snake client, heartbeat the real Mixer (in this JVM, on a real nats-server) every
 * {@code probe.heartbeat.period} ms (default 1000) with the same inventory of edge-rack size
 * (45 bundles with digests, 8 gear types, 6 gears whose counters move at every heartbeat, 6 wires,
 * 400 capabilities), and run at the same time. The digest rack's source keeps the bundle part of
 * its inventory between heartbeats and builds only the gears, as {@code InventorySnapshot} does;
 * the other builds all of it every time, as it did before digests (the real snapshot reads it
 * from the framework, which costs more than building these records). A rack's CPU is the CPU time of its own threads
 * (its Snake and command threads and its JDK HTTP client's threads: building the body, JSON, TLS,
 * HTTP/2); the Mixer's threads are not counted. Prints a Markdown table. Run:
 *
 * <pre>
 * mvn -B -pl rack.snake verify -Dtest=HeartbeatCostProbe -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dprobe.heartbeat.seconds=60
 * </pre>
 */
@EnabledIfSystemProperty(named = "probe.heartbeat.seconds", matches = "[0-9]+")
class HeartbeatCostProbe {
    @TempDir
    Path tmp;

    /** An edge rack's inventory; the gears' counters move with {@code traffic}. */
    static Inventory inventory(long traffic) {
        List<Inventory.Bundle> bundles = new ArrayList<>();
        Map<String, String> digests = new LinkedHashMap<>();
        List<Inventory.Capability> caps = new ArrayList<>();
        for (int b = 0; b < 45; b++) {
            String bsn = "org.example.bundle" + b;
            bundles.add(new Inventory.Bundle(b, bsn, "2.17." + b, "ACTIVE"));
            if (b > 0) {
                digests.put("jar/" + bsn + "-2.17." + b + ".jar", "sha256:" + String.format("%064x", 1_000_003L * b));
            }
            for (int p = 0; p < 9 && caps.size() < 400; p++) {
                caps.add(new Inventory.Capability("osgi.wiring.package", b, Map.of("osgi.wiring.package", bsn + ".pkg" + p,
                        "version", "2.17." + b, "bundle-symbolic-name", bsn, "bundle-version", "2.17." + b)));
            }
        }
        List<Inventory.GearTypeInfo> types = new ArrayList<>();
        for (String t : List.of("iso8583.server", "iso8583.codec", "json.mapping", "json.http", "deadline", "transform",
                "wire.in", "wire.out")) {
            types.add(new Inventory.GearTypeInfo(t, "io.fluxrig.gear 1.0.0"));
        }
        return new Inventory(bundles, digests, types, gears(traffic), List.of("server.out -> codec.in", "codec.out -> map.in",
                "map.out -> deadline.in", "deadline.out -> out.in", "in.out -> map2.in", "map2.out -> server.in"),
                new Inventory.WireTransport(true, "nats://127.0.0.1:4222"), caps,
                new ReleaseTrust(ReleaseTrust.DEVELOPMENT, List.of(), Map.of()));
    }

    static List<Inventory.Gear> gears(long traffic) {
        List<Inventory.Gear> gears = new ArrayList<>();
        for (int g = 0; g < 6; g++) {
            gears.add(new Inventory.Gear("gear" + g, "type" + g, "io.fluxrig.gear 1.0.0", "running", traffic * 500,
                    traffic * 500 - g, 0));
        }
        return gears;
    }

    private record Rack(String name, Snake snake, Set<Long> threads) {
    }

    @Test
    void heartbeatCpuWithDigestsAgainstFullInventories() throws Exception {
        long seconds = Long.getLong("probe.heartbeat.seconds");
        long period = Long.getLong("probe.heartbeat.period", 1000);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (NatsServer nats = NatsServer.started()) {
            Path natsDir = Files.createDirectories(tmp.resolve("mixer/nats/trust"));
            Files.copy(nats.creds(Role.MIXER), natsDir.resolveSibling("mixer.creds"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(nats.caFile(), natsDir.resolveSibling("ca.crt"), StandardCopyOption.REPLACE_EXISTING); // NATS is TLS
            try (var seeds = Files.list(nats.trust().dir())) {
                for (Path seed : seeds.toList()) {
                    Files.copy(seed, natsDir.resolve(seed.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            MixerSettings s = new MixerSettings(tmp.resolve("mixer"), nats.url(), "127.0.0.1", 0, "127.0.0.1", 0,
                    List.of("localhost", "127.0.0.1"), "127.0.0.1:7443", "https://127.0.0.1:8443/system/console",
                    Duration.ofDays(30), 3, Duration.ofMillis(500));
            try (Mixer mixer = Mixer.start(s, Clock.systemUTC(), t -> { }, SnakeObserver.NONE)) {
                AtomicLong traffic = new AtomicLong();
                List<Rack> racks = new ArrayList<>();
                for (String name : List.of("hb-digest", "hb-full")) {
                    String token = mixer.store().tokens().mint(new SecureRandom(), new TokenRecord(name, Map.of(),
                            System.currentTimeMillis(), System.currentTimeMillis() + 3_600_000, false, null));
                    Path tokenFile = tmp.resolve(name + ".token");
                    Files.writeString(tokenFile, token);
                    SnakeSettings settings = new SnakeSettings("127.0.0.1:" + mixer.snakePort(), tokenFile, mixer.ca().hash(),
                            name, tmp.resolve(name).resolve("snake"), period, 1000);
                    Set<Long> before = ids(mx);
                    boolean digests = name.equals("hb-digest");
                    Inventory kept = inventory(0);
                    // As InventorySnapshot does now: the bundle part kept, the gears read every time; as
                    // it did before: everything built every time.
                    Snake.HeartbeatSource source = digests
                            ? () -> new Heartbeat(period, Map.of("java", "17"), io.fluxrig.snake.api.InventoryDigest.withLive(kept,
                                    gears(traffic.incrementAndGet()), kept.wireTransport()))
                            : () -> new Heartbeat(period, Map.of("java", "17"), inventory(traffic.incrementAndGet()));
                    Snake snake = new Snake(settings, source, new SecureRandom(),
                            digests ? new InventorySender() : InventorySender.everyTime());
                    snake.start();
                    Await.until(name + " heartbeating", () -> snake.heartbeats() >= 3, Duration.ofSeconds(120));
                    Set<Long> own = new HashSet<>();
                    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(ids(mx).stream().mapToLong(Long::longValue).toArray())) {
                        if (t != null && !before.contains(t.getThreadId()) && (t.getThreadName().startsWith("fluxrig-snake-")
                                || t.getThreadName().startsWith("HttpClient-"))) {
                            own.add(t.getThreadId());
                        }
                    }
                    racks.add(new Rack(name, snake, own));
                }
                Thread.sleep(Math.min(20_000, seconds * 1000 / 3)); // JIT warm-up: a measurement, not a proof
                long[] cpu0 = racks.stream().mapToLong(r -> cpu(mx, r.threads())).toArray();
                Map<Long, Long> thread0 = new java.util.HashMap<>();
                for (Rack r : racks) {
                    for (long id : r.threads()) {
                        thread0.put(id, Math.max(0, mx.getThreadCpuTime(id)));
                    }
                }
                long[] beats0 = racks.stream().mapToLong(r -> r.snake().heartbeats()).toArray();
                long[] inv0 = racks.stream().mapToLong(r -> r.snake().inventoriesSent()).toArray();
                double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                Thread.sleep(seconds * 1000);
                double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                Inventory sample = inventory(1);
                int fullBytes = SnakeCodec.json().write(new Heartbeat(period, Map.of("java", "17"), sample)
                        .withInventoryDigest(io.fluxrig.snake.api.InventoryDigest.of(sample))).length;
                int digestBytes = SnakeCodec.json().write(new Heartbeat(period, Map.of("java", "17"), sample)
                        .digestOnly(io.fluxrig.snake.api.InventoryDigest.of(sample))).length;
                System.out.printf("%nheartbeat cost, period %d ms, %d s measured, load average %.1f -> %.1f (2 cores)%n%n",
                        period, seconds, load0, load1);
                System.out.println("| rack | heartbeats | full inventories | body bytes | rack CPU ms | CPU µs per heartbeat |");
                System.out.println("|---|---|---|---|---|---|");
                double[] per = new double[racks.size()];
                for (int i = 0; i < racks.size(); i++) {
                    Rack r = racks.get(i);
                    long beats = r.snake().heartbeats() - beats0[i];
                    long cpu = cpu(mx, r.threads()) - cpu0[i];
                    per[i] = beats == 0 ? Double.NaN : cpu / 1000.0 / beats;
                    System.out.printf("| %s | %d | %d | %d | %.1f | %.0f |%n", r.name(), beats, r.snake().inventoriesSent() - inv0[i],
                            i == 0 ? digestBytes : fullBytes, cpu / 1e6, per[i]);
                }
                System.out.printf("%ndigest ÷ full, rack CPU per heartbeat: %.2f×%n%nper thread, CPU ms over the window:%n", per[0] / per[1]);
                for (Rack r : racks) {
                    for (long id : r.threads()) {
                        java.lang.management.ThreadInfo t = mx.getThreadInfo(id);
                        System.out.printf("  %s %s %.1f%n", r.name(), t == null ? "(ended)" : t.getThreadName(),
                                (Math.max(0, mx.getThreadCpuTime(id)) - thread0.get(id)) / 1e6);
                    }
                }
                for (Rack r : racks) {
                    r.snake().close();
                }
            }
        }
    }

    private static Set<Long> ids(ThreadMXBean mx) {
        Set<Long> out = new HashSet<>();
        for (long id : mx.getAllThreadIds()) {
            out.add(id);
        }
        return out;
    }

    private static long cpu(ThreadMXBean mx, Set<Long> threads) {
        long sum = 0;
        for (long id : threads) {
            long t = mx.getThreadCpuTime(id);
            sum += Math.max(0, t);
        }
        return sum;
    }
}
