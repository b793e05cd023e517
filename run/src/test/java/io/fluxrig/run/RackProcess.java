package io.fluxrig.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One rack started by {@code run/fluxrig rack --name kill} with a given data folder and patch, a
 * free console port and {@code FLUXRIG_JAVA_OPTS=-Dfelix.fileinstall.enableConfigSave=false} (so
 * FileInstall never rewrites the transport's {@code .cfg}). The launcher {@code exec}s the JVM, so
 * the started process becomes the rack's {@code java} process; {@link #kill} checks that before it
 * sends SIGKILL. Output lines are collected by a reader thread this object owns. The process
 * start and output reading are copied from {@link Launcher}, which takes no environment.
 */
final class RackProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private RackProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "rack-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the rack and waits (up to 90 s) for its readiness line. */
    static RackProcess start(Path data, Path patch) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Launcher.ROOT.resolve("run/fluxrig").toString(), "rack", "--name", "kill",
                "--data", data.toString(), "--patch", patch.toString(), "--console-port", Integer.toString(Launcher.freePort()))
                .redirectErrorStream(true);
        pb.environment().put("FLUXRIG_JAVA_OPTS", "-Dfelix.fileinstall.enableConfigSave=false");
        RackProcess rack = new RackProcess(pb.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (rack.lines.stream().noneMatch(l -> l.startsWith("fluxrig rack kill ready"))) {
            if (!rack.process.isAlive() || System.nanoTime() > deadline) {
                rack.close();
                throw new AssertionError("rack not ready within 90 s; output:\n" + rack.output());
            }
            Thread.sleep(50);
        }
        return rack;
    }

    /** SIGKILL to the rack's JVM (kill -9), after checking the process is {@code java}, not the launcher shell. */
    void kill() throws InterruptedException {
        ProcessHandle h = process.toHandle();
        String command = h.info().command().orElse("?");
        if (!command.endsWith("/java")) {
            throw new AssertionError("process " + h.pid() + " is " + command + ", not the rack's java");
        }
        h.destroyForcibly(); // SIGKILL on Unix
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("rack " + h.pid() + " still alive 10 s after SIGKILL");
        }
        if (process.exitValue() != 137) {
            throw new AssertionError("rack " + h.pid() + " exited " + process.exitValue() + ", not 128 + SIGKILL");
        }
    }

    /** SIGTERM, waits up to 30 s; returns the exit code (143 = 128 + SIGTERM: the JVM ended on the signal). */
    int terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rack did not stop within 30 s of SIGTERM; output:\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    String output() {
        return String.join("\n", lines);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("[reader failed: " + e + "]");
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
