package io.fluxrig.bench.fault;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.JvmLaunch;
import io.fluxrig.cli.launch.Layout;
import io.fluxrig.cli.launch.Readiness;
import io.fluxrig.cli.launch.Supervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The demo's racks as the fault runner kills and restarts them. The demo ({@code --keep}) leaves
 * them running and records each start in {@code DATA/pids} as {@code name pid start-instant}; a
 * rack is found there, and only signalled while the process with that PID started at that instant
 * (a reused PID is left alone). A rack is started again the way the demo started it
 * ({@link JvmLaunch#rack}: in its own folder, whose {@code etc/} files and deployed {@code gears/}
 * it already holds; an enrolled rack needs no token), by a {@link Supervisor} that appends to the
 * same pid file and is detached, so {@code demo --stop} stops the restarted racks as it stops the
 * others. The runner's thread only.
 */
final class DemoRacks {
    private static final Duration START = Duration.ofSeconds(180);

    private final Path data;
    private final Layout layout;
    private final Supervisor sup;
    /** Racks started again by this object: name -> the running child. */
    private final Map<String, Child> restarted = new HashMap<>();

    DemoRacks(Path root, Path data, Consumer<String> say) throws IOException {
        this.data = data;
        this.layout = new Layout(root);
        this.sup = new Supervisor(data.resolve("logs"), data.resolve("pids"), say);
        sup.detach(); // demo --stop owns the stopping
    }

    /** @return the rack's process now, if it runs */
    Optional<ProcessHandle> process(String rack) throws IOException {
        Child c = restarted.get(rack);
        if (c != null) {
            return c.alive() ? Optional.of(c.process().toHandle()) : Optional.empty();
        }
        ProcessHandle found = null;
        for (String line : Files.readAllLines(data.resolve("pids"))) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].equals(rack) && f[1].matches("[0-9]+")) {
                ProcessHandle h = ProcessHandle.of(Long.parseLong(f[1])).orElse(null);
                if (h != null && h.isAlive() && h.info().startInstant().map(Object::toString).filter(f[2]::equals).isPresent()) {
                    found = h; // the last live record of that name
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * SIGKILL of the rack, waited for.
     *
     * @return its PID
     * @throws IOException when it does not run or outlives the signal
     */
    long kill(String rack) throws IOException, InterruptedException {
        ProcessHandle h = process(rack).orElseThrow(() -> new IOException("rack " + rack + " is not running"));
        h.destroyForcibly();
        try {
            h.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(rack + " (pid " + h.pid() + ") still alive 10 s after SIGKILL", e);
        }
        return h.pid();
    }

    /**
     * Starts the rack again in its folder and waits until it is ready: its {@code rack.ready} (the
     * killed process left the old one: removed first) and, for an edge, its ISO 8583 port.
     *
     * @param isoPort the edge's terminal port, or 0 for a core
     */
    void restart(String rack, int isoPort) throws IOException, InterruptedException {
        Path dir = data.resolve("racks").resolve(rack);
        Files.deleteIfExists(dir.resolve("rack.ready"));
        JvmLaunch.Rack r = new JvmLaunch.Rack(rack, true, dir, null, null, null, null, null, null, null, null, null, null);
        Child c = sup.start(rack, JvmLaunch.rack(layout, r, List.of(), System.getenv()));
        restarted.put(rack, c);
        c.awaitReady(Readiness.file(dir.resolve("rack.ready")), START);
        if (isoPort > 0) {
            c.awaitReady(Readiness.port(isoPort), START);
        }
    }
}
