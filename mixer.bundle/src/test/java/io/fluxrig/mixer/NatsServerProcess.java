package io.fluxrig.mixer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A real nats-server with JetStream, on a free loopback port, storage in a temp folder. */
final class NatsServerProcess implements AutoCloseable {
    private final Path store;
    private final int port;
    private Process process;

    NatsServerProcess(Path store) throws IOException, InterruptedException {
        this.store = store;
        this.port = freePort();
        start();
    }

    /** Stops the server (its JetStream store stays on disk). */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /** Starts it again on the same port with the same store. */
    void start() throws IOException, InterruptedException {
        this.process = new ProcessBuilder("nats-server", "-js", "-sd", store.toString(), "-p", Integer.toString(port),
                "-a", "127.0.0.1").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(store.resolve("nats.log").toFile())).start();
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
        stop();
    }
}
