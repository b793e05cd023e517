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
import java.util.Locale;
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

    /** The terminal fleet against the edge, with a live line on a terminal; --chaos restarts core and NATS meanwhile. */
    SendFleet.Result run(DemoNats nats, StartLine coreCommand) throws IOException, InterruptedException {
        LoadOptions load = o.load;
        say(load.count() + " authorisations from " + load.connections() + " terminals to 127.0.0.1:" + ports.iso()
                + (load.rate() > 0 ? " at " + load.rate() + " TPS" : ""));
        SendFleet.Options opts = new SendFleet.Options("127.0.0.1", ports.iso(), Framing.BINARY2,
                IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII)), load.count(), load.connections(), load.rate(), 5000, load.window());
        SendFleet fleet = new SendFleet(opts);
        long started = System.nanoTime();
        CompletableFuture<SendFleet.Result> sending = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                sending.complete(fleet.run());
            } catch (Exception e) {
                sending.completeExceptionally(e);
            }
        }, "fluxrig-demo-load");
        try (Progress progress = Progress.onTerminal(console, () -> String.format(Locale.ROOT, "demo: sent %d of %d  answered %d  %.0f TPS",
                fleet.sentSoFar(), load.count(), fleet.answeredSoFar(), fleet.answeredSoFar() / Math.max(1e-3, (System.nanoTime() - started) / 1e9)))) {
            sender.start();
            if (o.chaos) {
                chaos("core", coreCommand, Readiness.file(data.resolve("racks/core/rack.ready")), sending);
                chaos(nats.chaosName(), new StartLine(null, nats.chaosCommand()), nats.chaosReady(), sending);
            }
            sender.join();
        }
        try {
            SendFleet.Result r = sending.get();
            console.out().print(IsoSendCommand.summary(opts, r));
            return r;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("iso send to 127.0.0.1:" + ports.iso() + " failed: " + e.getCause().getMessage(), e.getCause());
        }
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
