package io.fluxrig.bench.roll;

import io.fluxrig.bench.CleanRun;
import io.fluxrig.bench.KeyValueArgs;
import io.fluxrig.cli.iso.SendFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rollouts measured on the payment switch: the demo as {@code run/fluxrig demo --keep} leaves it
 * (its racks deployed by signed rollouts, its publisher key in {@code DATA/release/}), then
 * {@link SwapRun} (gear bundles replaced under a steady load: lost, duplicated, declined 96) and
 * {@link RolloutTimes} (rollout and rollback times on 1, 3 and 5 extra racks). Prints Markdown
 * tables and writes them to {@code DATA.md}; stops everything at the end ({@code demo --stop}).
 * Not run in CI; asserts nothing.
 *
 * <p>Threading: the main thread; {@link SwapRun} adds the load's thread.
 */
public final class RollRunner {
    private final RollSettings s;
    private final Operator op;
    private RolloutTimes times;
    private boolean cleaned;

    private RollRunner(RollSettings settings) {
        this.s = settings;
        this.op = new Operator(settings.data().resolve("mixer"), settings.basePort() + 6);
    }

    /**
     * Settings as {@code key=value} ({@link RollSettings}): {@code root}, {@code data}
     * (/tmp/fluxrig-roll), {@code basePort} (23100), {@code runs} (swap,times), {@code rate} (300),
     * {@code baseline} (20 s), {@code seconds} (60), {@code swapAt} (15), {@code connections} (50),
     * {@code soak} (5s), {@code sizes} (1,3,5), {@code waves} (1,100%).
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> settings = KeyValueArgs.parse(args, "settings are key=value, not ");
        RollRunner r = new RollRunner(RollSettings.of(settings));
        CleanRun.run("roll-runner-stop", r::run, r::cleanUp);
    }

    static void say(String line) {
        System.err.println("roll: " + line);
        System.err.flush();
    }

    static String loadAvg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private void run() throws Exception {
        String started = Instant.now().toString();
        startDemo();
        Releases releases = new Releases(s.data().resolve("bench-releases"), s.data().resolve("release/publisher.key"));
        StringBuilder report = new StringBuilder();
        report.append("## Rollout runs: ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average ").append(loadAvg()).append(" at the start\n\n");
        if (s.runs().contains("swap")) {
            report.append(swapTable(new SwapRun(s.data(), s.basePort(), op, releases, s, RollRunner::say).run()));
        }
        if (s.runs().contains("times")) {
            times = new RolloutTimes(s.data(), s.basePort(), op, releases, s, RollRunner::say);
            report.append(timesTable(times.run()));
        }
        System.out.println(report);
        Files.writeString(s.data().resolveSibling(s.data().getFileName() + ".md"), report);
    }

    private void startDemo() throws IOException, InterruptedException {
        Files.createDirectories(s.data().getParent());
        Path log = s.data().resolveSibling(s.data().getFileName() + "-demo.log");
        say("starting the demo (run/fluxrig demo --keep, ports " + s.basePort() + "..), log " + log);
        Process p = new ProcessBuilder(s.root().resolve("run/fluxrig").toString(), "demo", "--keep", "--count", "200",
                "--connections", "10", "--base-port", Integer.toString(s.basePort()), "--data", s.data().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("the demo did not start (see " + log + ")");
        }
    }

    private String swapTable(List<SwapRun.Phase> phases) {
        StringBuilder b = new StringBuilder("### Gear bundles replaced under load\n\n");
        b.append(String.format(Locale.ROOT, "%d TPS from %d terminals (window 1, 5 s timeout); the rollouts (waves 100%%, soak %s) start %d s "
                + "into the %d s swap phase. Timed out: no answer within 5 s (a request whose write failed on a closed connection "
                + "counts here too). Never sent: the terminal stopped (iso send does not reconnect). Stored: messages added to the "
                + "auth.requests and auth.responses.edge streams during the phase.%n%n",
                s.rate(), s.connections(), s.soak(), s.swapAt(), s.seconds()));
        b.append("| phase | planned | sent | answered | 00 / 05 / 51 | declined 96 | timed out | never sent | duplicated | mismatched | late "
                + "| requests / decisions stored | rollouts: s to done (Mixer s) | new release running | load avg |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SwapRun.Phase p : phases) {
            SendFleet.Result l = p.load();
            Map<String, Long> c = l.byCode();
            StringBuilder ro = new StringBuilder();
            for (Operator.Followed f : p.rollouts()) {
                ro.append(ro.length() == 0 ? "" : "; ").append(f.record().at("/request/selector").asText()).append(' ').append(f.state())
                        .append(String.format(Locale.ROOT, " %.1f (%.1f)", f.seconds(), f.mixerSeconds()));
            }
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d / %d / %d | %d | %d | %d | %d | %d | %d | %d / %d | %s | %s | %s |%n",
                    p.phase(), p.planned(), l.sent(), l.answered(), c.getOrDefault("00", 0L), c.getOrDefault("05", 0L), c.getOrDefault("51", 0L),
                    c.getOrDefault("96", 0L), l.timedOut(), p.planned() - l.sent(), l.duplicated(), l.mismatched(), l.late(), p.requestsStored(),
                    p.decisionsStored(), ro.length() == 0 ? "-" : ro, p.newVersionsRunning(), p.loadAvg()));
        }
        return b.append('\n').toString();
    }

    private String timesTable(List<RolloutTimes.Row> rows) {
        StringBuilder b = new StringBuilder("### Rollout and rollback times\n\n");
        b.append("Base racks fleet1..fleetN on the demo's Mixer and NATS, heartbeat 1 s, soak ").append(s.soak())
                .append("; each rollout pre-flights every bundle on each rack, then installs it. s: from `rollout create` (uploads "
                        + "included) to the first status that showed the end (polled every 100 ms); Mixer s: the record's last change "
                        + "minus its creation.\n\n");
        b.append("| rollout | racks | waves | ended | s to the end | Mixer s | rolling-back → rolled-back s | racks at the end | load avg |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (RolloutTimes.Row r : rows) {
            Operator.Followed f = r.f();
            Map<String, Integer> states = new java.util.TreeMap<>();
            f.record().path("racks").forEach(p -> states.merge(p.path("state").asText(), 1, Integer::sum));
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.1f | %.1f | %s | %s | %s |%n", r.what(), r.racks(), r.waves(), f.state(),
                    f.seconds(), f.mixerSeconds(), Double.isNaN(f.rollbackSeconds()) ? "-" : String.format(Locale.ROOT, "%.1f", f.rollbackSeconds()),
                    states, r.loadAvg()));
        }
        return b.append('\n').toString();
    }

    /** Stops the fleet racks, then what the demo left ({@code demo --stop}). Once. */
    private synchronized void cleanUp() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        try {
            if (times != null) {
                times.close();
            }
            Process p = new ProcessBuilder(s.root().resolve("run/fluxrig").toString(), "demo", "--stop", "--data", s.data().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            say("clean-up: " + e.getMessage());
        }
    }
}
