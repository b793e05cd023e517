package io.fluxrig.bench.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The fleet bench's {@code nats-server -js} (Debian package) on a given port with its store in the
 * run's folder, serving TLS with a NATS CA of the run ({@link #ca()}: what the Mixer and the bench's
 * own client trust).
 */
final class FleetNats implements AutoCloseable {
    private final int port;
    private final Process process;
    private final io.fluxrig.nats.local.tls.ServerTls tls;

    FleetNats(Path dir, int port) throws IOException, InterruptedException {
        this.port = port;
        Files.createDirectories(dir);
        tls = io.fluxrig.nats.local.tls.LocalCa.loadOrCreate(dir.resolve("tls")).issueServer(dir.resolve("tls").resolve("server"),
                java.util.List.of("127.0.0.1"), java.time.Duration.ofDays(1));
        Path conf = tls.writeConfig(dir.resolve("nats.conf"), null, false);
        process = new ProcessBuilder("nats-server", "-c", conf.toString(), "-js", "-sd", dir.resolve("js").toString(), "-p", Integer.toString(port),
                "-a", "127.0.0.1").redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("nats-server did not start: " + Files.readString(dir.resolve("server.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
    }

    String url() {
        return "tls://127.0.0.1:" + port;
    }

    /** @return the CA file of the server's certificate */
    Path ca() {
        return tls.ca();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
