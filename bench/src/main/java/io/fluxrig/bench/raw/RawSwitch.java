package io.fluxrig.bench.raw;

import io.fluxrig.bench.KeyValueArgs;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The raw topology of {@code bench/e2e}: the demo's work with nothing of fluxrig, one process
 * per role, to measure the floor the runtime is compared against in the same run.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.fluxrig.bench.raw.RawSwitch edge nats=URL port=P ready=FILE [name=edge]
 * java -cp bench/target/benchmarks.jar io.fluxrig.bench.raw.RawSwitch core nats=URL issuer=URL ready=FILE
 * </pre>
 *
 * Writes the ready file when it serves (the edge listens, both consume); runs until SIGTERM.
 */
public final class RawSwitch {
    private RawSwitch() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("edge") || args[0].equals("core"))) {
            System.err.println("usage: RawSwitch edge nats=URL port=P ready=FILE [name=edge] | core nats=URL issuer=URL ready=FILE");
            System.exit(2);
        }
        Map<String, String> o;
        try {
            o = KeyValueArgs.parse(Arrays.copyOfRange(args, 1, args.length), "RawSwitch: key=value expected, not ");
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Connection nc = Nats.connect(new Options.Builder().server(o.getOrDefault("nats", "nats://127.0.0.1:4222"))
                .connectionName("raw-" + args[0]).maxReconnects(-1).errorListener(new ErrorListener() { }).build());
        AutoCloseable role = args[0].equals("edge")
                ? new RawEdge(nc, o.getOrDefault("name", "edge"), Integer.parseInt(o.get("port")))
                : new RawCore(nc, URI.create(o.get("issuer")));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                role.close();
                nc.close();
            } catch (Exception ignored) {
                // stopping
            }
            stop.countDown();
        }));
        if (o.containsKey("ready")) {
            Files.writeString(Path.of(o.get("ready")), "ready\n");
        }
        System.err.println("raw " + args[0] + ": ready");
        stop.await();
    }
}
