package io.fluxrig.bench.roll;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Readiness;
import io.fluxrig.cli.launch.Supervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rollout times: the kept demo's Mixer and NATS with a fleet of extra base racks
 * ({@code fleet1..fleetN}, started with {@code run/fluxrig rack --base --publisher-key}, labelled
 * {@code uptoK=yes} for every size K they count in), and rollouts of new releases of
 * {@code gear.basic} to 1, 3 and 5 of them, timed from {@code rollout create} to the end; then a
 * rollout that breaks on every rack and rolls back by itself, timed from {@code rolling-back} to
 * {@code rolled-back}. Measures; asserts nothing.
 *
 * <p>Threading: the runner's thread. The racks are this object's {@link Supervisor}'s, stopped by {@link #close}.
 */
final class RolloutTimes implements AutoCloseable {
    private static final Duration START = Duration.ofMinutes(4);

    /**
     * One timed rollout.
     *
     * @param what what was rolled out
     * @param racks how many racks
     * @param waves its waves
     * @param f what came of it
     * @param loadAvg the load average before and after
     */
    record Row(String what, int racks, String waves, Operator.Followed f, String loadAvg) {
    }

    private final Path data;
    private final int base;
    private final Operator op;
    private final Releases releases;
    private final RollSettings s;
    private final Consumer<String> say;
    private final Supervisor racks;

    RolloutTimes(Path data, int base, Operator op, Releases releases, RollSettings settings, Consumer<String> say) throws IOException {
        this.data = data;
        this.base = base;
        this.op = op;
        this.releases = releases;
        this.s = settings;
        this.say = say;
        Path fleet = Files.createDirectories(data.resolve("fleet"));
        this.racks = new Supervisor(fleet.resolve("logs"), fleet.resolve("pids"), say);
    }

    List<Row> run() throws Exception {
        int n = s.largest();
        startFleet(n);
        Path basic;
        try (var files = Files.list(data.resolve("release"))) {
            basic = files.filter(f -> f.getFileName().toString().matches("gear\\.basic-.*\\.jar")).findFirst().orElseThrow();
        }
        List<Row> rows = new ArrayList<>();
        int round = 0;
        rows.add(timed("gear.basic, new to the racks", n, s.waves(), List.of(releases.bumped(basic, "t" + round++)), "pause"));
        for (int size : s.sizes()) {
            rows.add(timed("gear.basic, an update", size, s.waves(), List.of(releases.bumped(basic, "t" + round++)), "pause"));
        }
        rows.add(timed("gear.basic update + a bundle that does not start: rolls back", n, "100%",
                List.of(releases.bumped(basic, "t" + round++), releases.broken("t" + round++)), "rollback"));
        return rows;
    }

    private Row timed(String what, int size, String waves, List<Path> bundles, String onFailure) throws Exception {
        List<String> args = new ArrayList<>(List.of("--to", "upto" + size + "=yes", "--waves", waves, "--soak", s.soak(), "--on-failure",
                onFailure, "--deadline", "5m"));
        bundles.forEach(b -> args.addAll(List.of("--bundle", b.toString())));
        String before = RollRunner.loadAvg();
        say.accept(what + " to " + size + " rack(s), waves " + waves + ", soak " + s.soak());
        Operator.Followed f = op.rollout(size + " racks", args, Duration.ofMinutes(10), say);
        return new Row(what, size, waves, f, before + " → " + RollRunner.loadAvg());
    }

    /** Starts fleet1..fleetN enrolled with the demo's Mixer, pinning the demo's publisher key, and waits until each is pinned and online. */
    private void startFleet(int n) throws Exception {
        List<Child> started = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            String name = "fleet" + k;
            Path dir = data.resolve("fleet").resolve(name);
            deleteTree(dir); // a rack enrolled with an earlier run's Mixer would not trust this one's
            Files.createDirectories(dir);
            Files.createDirectories(dir.resolve("gears"));
            Files.writeString(dir.resolve("gears/fluxrig.wire.jetstream.cfg"), "servers=tls://127.0.0.1:" + base + "\ncredentials.file="
                    + dir.resolve("snake/nats.creds") + "\ntls.ca.file=" + data.resolve("nats/tls/ca.crt") + "\n");
            List<String> labels = new ArrayList<>();
            for (int size : s.sizes()) {
                if (k <= size) {
                    labels.add("upto" + size + "=yes");
                }
            }
            labels.add("upto" + n + "=yes");
            Path token = dir.resolve("enrol.json");
            Files.deleteIfExists(token);
            op.must(List.of("token", "--rack", name, "--labels", String.join(",", labels.stream().distinct().toList()), "--ttl", "10m",
                    "--token-file", token.toString()));
            started.add(racks.start(name, List.of(s.root().resolve("run/fluxrig").toString(), "rack", "--base", "--name", name, "--data",
                    dir.toString(), "--console-port", Integer.toString(base + 50 + k), "--mixer", "127.0.0.1:" + (base + 5), "--token-file",
                    token.toString(), "--heartbeat-ms", "1000", "--publisher-key", data.resolve("release/publisher.pub").toString())));
        }
        say.accept("fleet: " + n + " base racks starting (logs in " + data.resolve("fleet/logs") + ")");
        for (Child c : started) {
            c.awaitReady(Readiness.file(data.resolve("fleet").resolve(c.name()).resolve("rack.ready")), START);
            long deadline = System.nanoTime() + START.toNanos();
            while (!"pinned".equals(op.mixer(List.of("rack-info", c.name(), "--json")).code() == 0
                    ? op.must(List.of("rack-info", c.name(), "--json")).json().at("/inventory/releases/mode").asText() : "")) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(c.name() + " did not report its pinned publisher key within " + START.toSeconds() + " s");
                }
                Thread.sleep(500);
            }
        }
        say.accept("fleet: " + n + " racks online, each pinning the demo's publisher key");
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    @Override
    public void close() {
        racks.close();
    }
}
