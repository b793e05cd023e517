package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes one end-to-end test started through {@code run/fluxrig}: {@link #close()} kills
 * whatever is still running (the test's own checks stop them cleanly first) and fails when a
 * process outlives that. Owned by one test thread.
 */
final class Launchers implements AutoCloseable {
    private final List<Launcher> started = new ArrayList<>();

    /** Starts {@code run/fluxrig ARGS...} and keeps it for {@link #close()}. */
    Launcher start(String... args) throws IOException {
        Launcher l = Launcher.start(args);
        started.add(l);
        return l;
    }

    @Override
    public void close() {
        for (Launcher l : started) {
            l.close();
        }
        for (Launcher l : started) {
            try {
                l.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertFalse(l.process().isAlive(), "process left running");
        }
    }
}
