package io.fluxrig.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A live progress line on stderr for long work ({@code \r}-rewritten twice a second, plain text,
 * no colour codes), shown only when stderr is a terminal so that logs and pipes get none of it.
 * The line is drawn by one daemon thread this object owns; {@link #close()} stops it and clears
 * the line. The supplier is called on that thread: it must only read thread-safe counters.
 */
public final class Progress implements AutoCloseable {
    private static final long PERIOD_MS = 500;
    private final Console console;
    private final Supplier<String> line;
    private final Thread thread;
    private volatile boolean stopped;
    private int width;

    private Progress(Console console, Supplier<String> line, boolean show) {
        this.console = console;
        this.line = line;
        this.thread = show ? new Thread(this::draw, "fluxrig-progress") : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * @param console the streams; the line goes to its stderr
     * @param line the current state, e.g. {@code sent 1200 of 20000  answered 1180  590 TPS}
     * @return a running progress line, or one that shows nothing when stderr is not a terminal
     */
    public static Progress onTerminal(Console console, Supplier<String> line) {
        return new Progress(console, line, console.err() == System.err && stderrIsTerminal());
    }

    /** @return whether this process's stderr is a terminal (Linux: fd 2 links to a tty device) */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private void draw() {
        while (!stopped) {
            show(line.get());
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void show(String text) {
        console.err().print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
        console.err().flush();
        width = text.length();
    }

    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        stopped = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        show("");
        console.err().print("\r");
        console.err().flush();
    }
}
