package io.fluxrig.mixer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A real nats-server with JetStream, on a free loopback port, storage in a temp folder. */
final class NatsServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    NatsServerProcess(Path store) throws IOException, InterruptedException {
        this.port = freePort();
        this.process = new ProcessBuilder("nats-server", "-js", "-sd", store.toString(), "-p", Integer.toString(port),
                "-a", "127.0.0.1").redirectErrorStream(true).redirectOutput(store.resolve("nats.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline) || !process.isAlive()) {
                    throw new IOException("nats-server did not start on port " + port);
                }
                Thread.sleep(50);
            }
        }
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
