package io.fluxrig.cli.launch;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Progress;
import io.fluxrig.cli.iso.IsoSendCommand;
import io.fluxrig.cli.iso.LoadOptions;
import io.fluxrig.cli.iso.SendFleet;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;

/**
 * The demo's load: the terminal fleet ({@link SendFleet}) against the edge rack on a thread of its
 * own, a live line on a terminal, and with {@code --chaos} the restarts of rack core and of
 * nats-server a few seconds into it (on the calling thread, through the demo's {@link Supervisor}).
 */
final class DemoLoad {
    private static final Duration START = Duration.ofSeconds(180);

    private final DemoCommand o;
    private final DemoCommand.Ports ports;
    private final Path data;
    private final Console console;
    private final Supervisor sup;

    DemoLoad(DemoCommand options, DemoCommand.Ports ports, Path data, Console console, Supervisor sup) {
        this.o = options;
        this.ports = ports;
        this.data = data;
        this.console = console;
        this.sup = sup;
    }

    private void say(String text) {
        console.err().println("demo: " + text);
        console.err().flush();
    }

    /**
     * The terminal fleet against the edges (each edge its share of --connections and --count, one
     * {@link SendFleet} per edge on a thread of its own), with a live line on a terminal; --chaos
     * restarts core and NATS meanwhile. With several edges each edge's summary is printed, then
     * the total.
     */
    SendFleet.Result run(DemoNats nats, StartLine coreCommand, List<DemoCommand.Edge> edges) throws IOException, InterruptedException {
        LoadOptions load = o.load;
        say(load.count() + " authorisations from " + load.connections() + " terminals to " + edges.stream()
                .map(e -> "127.0.0.1:" + e.iso()).collect(Collectors.joining(", ")) + (load.rate() > 0 ? " at " + load.rate() + " TPS" : ""));
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII));
        List<SendFleet.Options> opts = new ArrayList<>();
        List<SendFleet> fleets = new ArrayList<>();
        List<CompletableFuture<SendFleet.Result>> sending = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int k = 0; k < edges.size(); k++) {
            int connections = (int) SendFleet.share(load.connections(), edges.size(), k);
            long count = SendFleet.share(load.count(), edges.size(), k);
            double rate = load.rate() * count / load.count();
            SendFleet.Options op = new SendFleet.Options("127.0.0.1", edges.get(k).iso(), Framing.BINARY2, codec, count, connections, rate, 5000,
                    load.window());
            SendFleet fleet = new SendFleet(op);
            CompletableFuture<SendFleet.Result> f = new CompletableFuture<>();
            opts.add(op);
            fleets.add(fleet);
            sending.add(f);
            senders.add(new Thread(() -> {
                try {
                    f.complete(fleet.run());
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            }, "fluxrig-demo-load-" + edges.get(k).name()));
        }
        long started = System.nanoTime();
        CompletableFuture<Void> all = CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new));
        try (Progress progress = Progress.onTerminal(console, () -> {
            long sent = fleets.stream().mapToLong(SendFleet::sentSoFar).sum();
            long answered = fleets.stream().mapToLong(SendFleet::answeredSoFar).sum();
            return String.format(Locale.ROOT, "demo: sent %d of %d  answered %d  %.0f TPS", sent, load.count(), answered,
                    answered / Math.max(1e-3, (System.nanoTime() - started) / 1e9));
        })) {
            senders.forEach(Thread::start);
            if (o.chaos) {
                chaos("core", coreCommand, Readiness.file(data.resolve("racks/core/rack.ready")), all);
                chaos(nats.chaosName(), new StartLine(null, nats.chaosCommand()), nats.chaosReady(), all);
            }
            for (Thread t : senders) {
                t.join();
            }
        }
        List<SendFleet.Result> results = new ArrayList<>();
        for (int k = 0; k < edges.size(); k++) {
            try {
                results.add(sending.get(k).get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("iso send to 127.0.0.1:" + edges.get(k).iso() + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        if (edges.size() == 1) {
            console.out().print(IsoSendCommand.summary(opts.get(0), results.get(0)));
            return results.get(0);
        }
        for (int k = 0; k < edges.size(); k++) {
            console.out().println("edge " + edges.get(k).name() + ":");
            console.out().print(IsoSendCommand.summary(opts.get(k), results.get(k)));
        }
        SendFleet.Result total = total(results);
        console.out().println("all " + edges.size() + " edges:");
        console.out().print(IsoSendCommand.summary(new SendFleet.Options("127.0.0.1", edges.get(0).iso(), Framing.BINARY2, codec, load.count(),
                load.connections(), load.rate(), 5000, load.window()), total));
        return total;
    }

    /** The sum of several fleets' outcomes: counters added, latencies merged, the longest duration. */
    static SendFleet.Result total(List<SendFleet.Result> results) {
        Map<String, Long> codes = new TreeMap<>();
        results.forEach(r -> r.byCode().forEach((c, n) -> codes.merge(c, n, Long::sum)));
        long[] latencies = results.stream().flatMapToLong(r -> java.util.Arrays.stream(r.latencyNanos())).sorted().toArray();
        return new SendFleet.Result(results.stream().mapToLong(SendFleet.Result::sent).sum(),
                results.stream().mapToLong(SendFleet.Result::answered).sum(), codes,
                results.stream().mapToLong(SendFleet.Result::timedOut).sum(), results.stream().mapToLong(SendFleet.Result::mismatched).sum(),
                results.stream().mapToLong(SendFleet.Result::late).sum(), results.stream().mapToLong(SendFleet.Result::duplicated).sum(),
                latencies, results.stream().mapToDouble(SendFleet.Result::seconds).max().orElse(0));
    }

    /** A few seconds into the load, stops NAME (SIGTERM, waited for) and starts it again. Skipped once the load ended. */
    private void chaos(String name, StartLine command, Readiness ready, CompletableFuture<?> sending)
            throws IOException, InterruptedException {
        Thread.sleep(4000); // a pause in the load's timeline, not a wait for a condition
        if (sending.isDone()) {
            say("--chaos: the load ended before " + name + " could be restarted");
            return;
        }
        Child c = sup.children().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        console.err().println("demo --chaos: stopping " + name + " (pid " + c.pid() + ") during the load");
        sup.stop(c);
        if (name.equals("core")) {
            Files.deleteIfExists(data.resolve("racks/core/rack.ready"));
        }
        Files.move(c.log(), c.log().resolveSibling(name + ".before-chaos.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        sup.start(name, command).awaitReady(ready, START);
        console.err().println("demo --chaos: " + name + " is back");
    }
}
