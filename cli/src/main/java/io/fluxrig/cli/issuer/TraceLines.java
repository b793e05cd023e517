package io.fluxrig.cli.issuer;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The issuer's trace log ({@code --log-traces}): one line per traced request, gathered in memory
 * and written to the output in one piece every {@code flushMs} (so no line waits longer), at once
 * when {@value #MAX_PENDING_CHARS} characters wait, and at {@link #close}. One write per
 * flush instead of a write and flush per request: at the demo's 200 TPS that halved what logging
 * traces costs the issuer (bench/README.md, "Tracing cost").
 *
 * <p>Threading: {@link #accept} is called by the server's handler threads; the lines wait in a
 * buffer guarded by this object's lock and are written by a single daemon thread that wakes every
 * {@code flushMs} (or by the handler thread that filled the buffer, or by the closing thread). The output is written only
 * while the lock is held, so lines keep the order in which they were accepted.
 */
final class TraceLines implements Consumer<String>, AutoCloseable {
    static final int MAX_PENDING_CHARS = 64 * 1024;

    private final PrintStream out;
    private final ScheduledExecutorService flusher;
    /** Lines not written yet; guarded by {@code this}. */
    private StringBuilder pending = new StringBuilder();
    /** Whether {@link #close} ran; guarded by {@code this}. */
    private boolean closed;

    /**
     * @param out where the lines go (the issuer's standard output)
     * @param flushMs the longest a line waits before it is written, at least 1
     */
    TraceLines(PrintStream out, long flushMs) {
        if (flushMs < 1) {
            throw new IllegalArgumentException("flushMs " + flushMs + " must be at least 1");
        }
        this.out = out;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fluxrig-issuer-trace-log");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, flushMs, flushMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void accept(String line) {
        if (closed) {
            out.println(line);
            out.flush();
            return;
        }
        pending.append(line).append(System.lineSeparator());
        if (pending.length() >= MAX_PENDING_CHARS) {
            flush();
        }
    }

    /** Writes what is pending, if anything. */
    synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        out.print(pending);
        out.flush();
        pending = new StringBuilder(pending.capacity());
    }

    /** Writes what is pending and stops the flushing thread; later lines are written one by one. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            flush();
        }
        flusher.shutdownNow();
    }
}
