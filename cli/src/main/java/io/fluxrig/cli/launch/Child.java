package io.fluxrig.cli.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One process a {@link Supervisor} started: its stdout and stderr go (merged) to its log file,
 * which is also what {@link #output()} reads. Readiness is awaited with a {@link Readiness}, never
 * by reading the log; the log-reading methods are for tests that check what a process printed.
 * Thread-safe: the fields are final and the log is read afresh on each call.
 */
public final class Child {
    private static final long POLL_MS = 100;
    /** How many of its last lines a failed wait quotes. */
    static final int QUOTED_LINES = 12;
    /** A Java stack frame or its "... N more" line: left out of quoted lines, they say nothing a message does not. */
    private static final java.util.regex.Pattern STACK_FRAME = java.util.regex.Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more)");
    private final String name;
    private final Process process;
    private final Path log;

    Child(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Waits until the readiness holds.
     *
     * @throws IOException when the process ends first or the time passes, naming its log and
     *     quoting its last lines (a CI log keeps the message, not the child's log file)
     */
    public void awaitReady(Readiness readiness, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!readiness.ready()) {
            if (!process.isAlive()) {
                throw new IOException(name + " ended (exit " + process.exitValue() + ") before it was ready (see " + log + ")"
                        + lastLines());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s: waited for "
                        + readiness.describe() + " (see " + log + ")" + lastLines());
            }
            Thread.sleep(POLL_MS);
        }
    }

    /**
     * @return the last {@value #QUOTED_LINES} lines the process printed, stack frames left out, each
     *     on a line of its own after a line break; empty when it printed nothing
     */
    String lastLines() {
        List<String> said = lines().stream().filter(l -> !STACK_FRAME.matcher(l).find()).toList();
        if (said.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("\n" + name + "'s last lines:");
        said.subList(Math.max(0, said.size() - QUOTED_LINES), said.size()).forEach(l -> b.append("\n  ").append(l));
        return b.toString();
    }

    /** @return everything the process printed so far */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "[cannot read " + log + ": " + e + "]";
        }
    }

    /** @return the lines printed so far */
    public List<String> lines() {
        return output().lines().toList();
    }

    /** @return how many printed lines match */
    public long count(Predicate<String> match) {
        return lines().stream().filter(match).count();
    }

    /**
     * Waits for a printed line that matches (tests: what a process says, not whether it is ready).
     *
     * @throws AssertionError with the whole output when none came in time
     */
    public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ended = !process.isAlive();
            for (String l : lines()) {
                if (match.test(l)) {
                    return l;
                }
            }
            if (ended || System.nanoTime() > deadline) {
                throw new AssertionError("no matching line from " + name + (ended ? " (it ended)" : " within " + timeout)
                        + "; output:\n" + output());
            }
            Thread.sleep(POLL_MS);
        }
    }

    /**
     * SIGTERM, then waits.
     *
     * @return the exit code (143 = 128 + SIGTERM: the JVM ended on the signal; a fluxrig process may
     *     also end with 117, the bnd launcher's "framework stopped", see framework.stop's README)
     * @throws IOException when it did not end in time (it is then killed)
     */
    public int terminate(Duration timeout) throws IOException, InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new IOException(name + " (pid " + pid() + ") did not stop within " + timeout.toSeconds()
                    + " s of SIGTERM; killed (see " + log + ")");
        }
        return process.exitValue();
    }

    /**
     * SIGKILL, then waits.
     *
     * @return the exit code (137 = 128 + SIGKILL)
     */
    public int kill() throws IOException, InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IOException(name + " (pid " + pid() + ") still alive 10 s after SIGKILL");
        }
        return process.exitValue();
    }
}
