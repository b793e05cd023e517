package io.fluxrig.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process started through {@code run/fluxrig}, exactly as a user types it, with its stdout and
 * stderr collected line by line (merged, in arrival order) by a reader thread the test owns.
 */
final class Launcher implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("fluxrig.root", "..")).toAbsolutePath().normalize();

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private Launcher(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "launcher-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code run/fluxrig ARGS...}. */
    static Launcher start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("run/fluxrig").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        return new Launcher(pb.start());
    }

    /** What a finished command left: exit code, stdout bytes, stderr text. */
    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code run/fluxrig ARGS...} to completion with the given stdin. */
    static Result runToEnd(byte[] stdin, Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("run/fluxrig").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        // Drain both pipes while the process runs, so a large output cannot block it.
        java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> readAll(p.getInputStream()));
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> readAll(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("run/fluxrig " + String.join(" ", args) + " did not finish in " + timeout
                    + "; stderr: " + new String(err.getNow(new byte[0]), StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS),
                new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Process process() {
        return process;
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("[reader failed: " + e + "]");
        }
    }

    /** Waits for an output line matching the predicate; fails with the whole output otherwise. */
    String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            List<String> snapshot = List.copyOf(lines);
            for (int i = seen; i < snapshot.size(); i++) {
                if (match.test(snapshot.get(i))) {
                    return snapshot.get(i);
                }
            }
            seen = snapshot.size();
            if (!process.isAlive() && !reader.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching line within " + timeout + "; output:\n" + output());
    }

    long count(Predicate<String> match) {
        return lines.stream().filter(match).count();
    }

    String output() {
        return String.join("\n", lines);
    }

    /** Sends SIGTERM and waits for the exit; returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of the output pipe,
        // and we want to read what the rack prints while it stops.
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not stop within " + timeout + " of SIGTERM; output:\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
