package io.fluxrig.cli.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one owner of the processes the demo and the end-to-end tests start. Each child's output goes
 * to {@code <logs>/<name>.log}; with a pid file, each start is recorded there as
 * {@code name pid start-instant} so that a later run ({@link #stopRecorded}) can stop what an
 * interrupted or {@code --keep} run left, and only that: a PID is reused by other processes, the
 * pair of PID and start instant ({@link ProcessHandle.Info#startInstant()}) is not. {@link #close()} stops the children still running, last started first: SIGTERM, up to
 * {@link #STOP_WAIT} each, then SIGKILL. {@link #detach()} leaves them running instead. The
 * child list is synchronized; one thread starts and stops at a time (the demo's, or a test's),
 * while a JVM shutdown hook may call {@link #close()} concurrently once.
 */
public final class Supervisor implements AutoCloseable {
    /** How long a child gets to stop after SIGTERM before it is killed. */
    public static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Path logs;
    private final Path pidFile;
    private final Consumer<String> say;
    private final List<Child> children = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean detached;

    /**
     * @param logs where the children's logs go (created)
     * @param pidFile where starts are recorded, or null
     * @param say receives "stopping NAME (pid N)", or null for silence
     */
    public Supervisor(Path logs, Path pidFile, Consumer<String> say) throws IOException {
        this.logs = Files.createDirectories(logs);
        this.pidFile = pidFile;
        this.say = say;
    }

    /** Starts {@code command} with the environment of this process. */
    public Child start(String name, List<String> command) throws IOException {
        return start(name, command, Map.of());
    }

    /**
     * @param name the child's name: its log is {@code <logs>/<name>.log} (appended to when restarted)
     * @param command the command line
     * @param env variables added to this process's environment
     * @return the running child
     */
    public Child start(String name, List<String> command, Map<String, String> env) throws IOException {
        return start(name, new StartLine(null, command), env);
    }

    /** Starts a process in its working directory (a rack's or the Mixer's folder), with the environment of this process. */
    public Child start(String name, StartLine line) throws IOException {
        return start(name, line, Map.of());
    }

    /**
     * @param name the child's name: its log is {@code <logs>/<name>.log} (appended to when restarted)
     * @param line the working directory (null: this process's) and command line
     * @param env variables added to this process's environment
     * @return the running child
     */
    public Child start(String name, StartLine line, Map<String, String> env) throws IOException {
        return start(name, line, env, null);
    }

    /**
     * As {@link #start(String, StartLine, Map)}, with standard input read from a file (e.g. what a
     * prompt of the child reads), or from nothing when {@code stdin} is null.
     */
    public Child start(String name, StartLine line, Map<String, String> env, Path stdin) throws IOException {
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(line.argv()).directory(line.dir() == null ? null : line.dir().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(stdin == null ? nullFile() : stdin.toFile()));
        pb.environment().putAll(env);
        Child c = new Child(name, pb.start(), log);
        children.add(c);
        if (pidFile != null) {
            String started = c.process().info().startInstant().map(Object::toString).orElse(UNKNOWN_START);
            Files.writeString(pidFile, name + " " + c.pid() + " " + started + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return c;
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    /** @return the children started so far, in order */
    public List<Child> children() {
        synchronized (children) {
            return List.copyOf(children);
        }
    }

    /** Stops one child (SIGTERM, then SIGKILL after {@link #STOP_WAIT}) and forgets it. */
    public void stop(Child c) throws InterruptedException {
        if (c.alive()) {
            if (say != null) {
                say.accept("stopping " + c.name() + " (pid " + c.pid() + ")");
            }
            try {
                c.terminate(STOP_WAIT);
            } catch (IOException e) {
                if (say != null) {
                    say.accept(e.getMessage());
                }
            }
        }
        children.remove(c);
    }

    /** Leaves the children running when this supervisor is closed (the demo's {@code --keep}). */
    public void detach() {
        detached = true;
    }

    /**
     * Stops every child still running, last started first, and removes the pid file.
     *
     * @throws IllegalStateException when a child is still alive after SIGKILL
     */
    @Override
    public void close() {
        if (detached) {
            return;
        }
        List<Child> all = new ArrayList<>(children());
        Collections.reverse(all);
        List<String> left = new ArrayList<>();
        for (Child c : all) {
            try {
                stop(c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.process().destroyForcibly();
            }
            if (c.alive()) {
                left.add(c.name() + " (pid " + c.pid() + ")");
            }
        }
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!left.isEmpty()) {
            throw new IllegalStateException("left running: " + left);
        }
    }

    /** Recorded when the platform does not tell a process's start instant: such a record is never signalled. */
    static final String UNKNOWN_START = "-";

    /**
     * Stops what an earlier run recorded in {@code pidFile} (last started first), then removes it.
     * A recorded PID is only signalled while the process with that PID started at the recorded
     * instant: it is then the very process that was started (PIDs get reused by unrelated
     * processes). A record without a start instant is left alone.
     *
     * @param say receives "stopping NAME (pid N)"
     */
    public static void stopRecorded(Path pidFile, Consumer<String> say) throws IOException, InterruptedException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(pidFile));
        Collections.reverse(lines);
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3 || !f[1].matches("[0-9]+")) {
                continue;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(f[1]));
            if (h.isEmpty() || !h.get().isAlive() || !startedAt(h.get(), f[2])) {
                continue;
            }
            say.accept("stopping " + f[0] + " (pid " + f[1] + ")");
            h.get().destroy();
            try {
                h.get().onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                say.accept(f[0] + " (pid " + f[1] + ") did not stop within " + STOP_WAIT.toSeconds() + " s of SIGTERM; killing it");
                h.get().destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile);
    }

    /** Whether the process started at the recorded instant (then it is the one recorded, not a reused PID). */
    private static boolean startedAt(ProcessHandle h, String recorded) {
        if (recorded.equals(UNKNOWN_START)) {
            return false;
        }
        return h.info().startInstant().map(Object::toString).filter(recorded::equals).isPresent();
    }

    /**
     * What a command that ran to its end left.
     *
     * @param exit its exit code
     * @param stdout its standard output
     * @param stderr its standard error
     */
    public record Result(int exit, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs a command to its end with the given standard input, reading both pipes while it runs.
     *
     * @throws IOException when it does not end in time (it is then killed)
     */
    public static Result runToEnd(List<String> command, byte[] stdin, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException closedEarly) {
            // the command did not read its input
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + timeout + "; stderr: "
                    + new String(err.getNow(new byte[0]), StandardCharsets.UTF_8));
        }
        try {
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("reading the output of " + String.join(" ", command) + " failed", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (IOException e) {
            // the process ended; keep what was read
        }
        return b.toByteArray();
    }
}
