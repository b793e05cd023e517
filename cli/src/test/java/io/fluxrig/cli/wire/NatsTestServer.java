package io.fluxrig.cli.wire;

import io.fluxrig.wire.jetstream.JetStreamConfig;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code nats-server -js} for the wire command tests (free port on 127.0.0.1, temporary
 * store, killed and deleted by {@link #close()}), and a {@link JetStreamConfig} for the real
 * transport, built from the annotation's defaults with overrides.
 */
final class NatsTestServer implements AutoCloseable {
    private final Path store;
    private final int port;
    private final Process process;

    NatsTestServer() throws Exception {
        store = Files.createTempDirectory("fluxrig-cli-nats-");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        process = new ProcessBuilder("nats-server", "-js", "-sd", store.resolve("js").toString(), "-p",
                Integer.toString(port), "-a", "127.0.0.1").redirectErrorStream(true)
                .redirectOutput(store.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server exited: " + Files.readString(store.resolve("server.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nats-server did not listen on " + port);
                }
                Thread.sleep(20);
            }
        }
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** @param overrides attribute method name to value, e.g. {@code default_max_deliver -> 2} */
    JetStreamConfig config(Map<String, Object> overrides) {
        return (JetStreamConfig) Proxy.newProxyInstance(JetStreamConfig.class.getClassLoader(),
                new Class<?>[] {JetStreamConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "servers" -> new String[] {url()};
                    case "annotationType" -> JetStreamConfig.class;
                    case "toString" -> "test config " + overrides;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> overrides.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(store)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
