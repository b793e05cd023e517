package io.fluxrig.run;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real nats-server with JetStream on a free loopback port, its store in a temp folder. */
final class NatsServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    NatsServerProcess(Path store) throws IOException, InterruptedException {
        Files.createDirectories(store);
        this.port = Launcher.freePort();
        this.process = new ProcessBuilder("nats-server", "-js", "-sd", store.toString(), "-p", Integer.toString(port),
                "-a", "127.0.0.1").redirectErrorStream(true).redirectOutput(store.resolve("nats.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    process.destroyForcibly();
                    throw new IOException("nats-server did not start on port " + port + ": "
                            + Files.readString(store.resolve("nats.log")));
                }
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
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
