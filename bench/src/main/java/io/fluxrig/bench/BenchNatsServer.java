package io.fluxrig.bench;

import io.fluxrig.nats.local.tls.LocalCa;
import io.fluxrig.nats.local.tls.ServerTls;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
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
 * A {@code nats-server -js} of the Debian package for a benchmark run: a free port on 127.0.0.1,
 * a temporary file store, operator mode with its own root of trust (one creds file), TLS with its own NATS CA
 * (unless made plaintext, to measure what TLS costs), killed and deleted by {@link #close()}; and a
 * {@link JetStreamConfig} for the wire transport pointing at it (the annotation's defaults, with
 * overrides by attribute method name).
 */
final class BenchNatsServer implements AutoCloseable {
    private final Path store;
    private final int port;
    private final Process process;
    private final NatsTrust trust;
    private final Path creds;
    private final ServerTls tls;

    /** A TLS server, as everywhere. */
    BenchNatsServer() throws IOException, InterruptedException {
        this(true);
    }

    /** @param tls false for a plaintext server (a before/after comparison of TLS's cost) */
    BenchNatsServer(boolean tls) throws IOException, InterruptedException {
        store = Files.createTempDirectory("fluxrig-bench-nats-");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        trust = NatsTrust.loadOrCreate(store.resolve("trust"));
        creds = trust.writeCreds(Role.ADMIN, "bench", null, store.resolve("bench.creds"));
        Path auth = trust.writeServerConfig(store.resolve("auth").resolve("auth.conf"));
        this.tls = tls ? LocalCa.loadOrCreate(store.resolve("tls")).issueServer(store.resolve("tls").resolve("server"),
                java.util.List.of("127.0.0.1"), java.time.Duration.ofDays(1)) : null;
        Path conf = tls ? this.tls.writeConfig(store.resolve("auth").resolve("nats.conf"), auth, false) : auth;
        process = new ProcessBuilder("nats-server", "-c", conf.toString(), "-js", "-sd", store.resolve("js").toString(), "-p", Integer.toString(port),
                "-a", "127.0.0.1").redirectErrorStream(true).redirectOutput(store.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("nats-server did not start: " + Files.readString(store.resolve("server.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
    }

    String url() {
        return (tls == null ? "nats" : "tls") + "://127.0.0.1:" + port;
    }

    /** @return the CA file of the server's certificate, or null for a plaintext server */
    Path ca() {
        return tls == null ? null : tls.ca();
    }

    /** @return the creds file of a user with every permission on the wires (NATS requires authentication, as everywhere) */
    Path creds() {
        return creds;
    }

    /** @return jnats options: this server and {@link #creds()}, TLS trusting only {@link #ca()} */
    io.nats.client.Options.Builder options() {
        io.nats.client.Options.Builder b = new io.nats.client.Options.Builder().server(url()).authHandler(new CredsAuthHandler(creds));
        if (tls != null) {
            try {
                b.sslContext(io.fluxrig.snake.api.tls.TlsContexts.verifyingServer(io.fluxrig.snake.api.tls.Pem.readCertificate(tls.ca()),
                        "a NATS server"));
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException("the bench NATS CA " + tls.ca() + ": " + e.getMessage(), e);
            }
        }
        return b;
    }

    JetStreamConfig config(Map<String, Object> overrides) {
        return (JetStreamConfig) Proxy.newProxyInstance(JetStreamConfig.class.getClassLoader(),
                new Class<?>[] {JetStreamConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "servers" -> new String[] {url()};
                    case "credentials_file" -> creds.toString();
                    case "tls_ca_file" -> tls == null ? "" : tls.ca().toString();
                    case "annotationType" -> JetStreamConfig.class;
                    case "toString" -> "bench config " + overrides;
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
