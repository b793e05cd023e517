package io.fluxrig.bench.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The fleet bench's {@code nats-server -js} (Debian package) on a given port with its store in the run's folder. */
final class FleetNats implements AutoCloseable {
    private final int port;
    private final Process process;

    FleetNats(Path dir, int port) throws IOException, InterruptedException {
        this.port = port;
        Files.createDirectories(dir);
        process = new ProcessBuilder("nats-server", "-js", "-sd", dir.resolve("js").toString(), "-p", Integer.toString(port),
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
        return "nats://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
