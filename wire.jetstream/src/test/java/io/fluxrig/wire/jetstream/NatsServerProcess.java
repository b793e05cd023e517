package io.fluxrig.wire.jetstream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code nats-server -js} for tests: a free port on 127.0.0.1 and a temporary store,
 * both kept across {@link #stop}/{@link #kill} and {@link #start} so a restart finds its data.
 * {@link #close()} stops it and deletes the store. Not thread-safe: one test thread drives it.
 */
final class NatsServerProcess implements AutoCloseable {
    private final Path store;
    private final Path log;
    private final int port;
    private Process process;

    NatsServerProcess() throws IOException {
        this.store = Files.createTempDirectory("fluxrig-nats-");
        this.log = store.resolve("server.log");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
    }

    static NatsServerProcess started() throws Exception {
        NatsServerProcess p = new NatsServerProcess();
        p.start();
        return p;
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    void start() throws Exception {
        process = new ProcessBuilder("nats-server", "-js", "-sd", store.resolve("js").toString(), "-p",
                Integer.toString(port), "-a", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("nats-server did not listen on " + port + " within 10 s");
    }

    /** SIGTERM: the server shuts down cleanly. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL: the process dies at once (the OS keeps what it had written). */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP (true) or SIGCONT (false): the server freezes with its connections open, then goes on. */
    void freeze(boolean frozen) throws Exception {
        Process k = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            throw new IllegalStateException("kill " + (frozen ? "-STOP" : "-CONT") + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        kill();
        try (Stream<Path> files = Files.walk(store)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
