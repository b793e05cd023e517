package io.fluxrig.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for an observable condition: the one polling wait of the tests. The patience is a hang
 * guard, never a timing check: a condition that is met returns at once, one that never is fails
 * the test with what was awaited. Stateless; any thread.
 */
public final class Await {
    /** How long {@link #until(String, BooleanSupplier)} waits before it fails the test. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long POLL_MS = 10;

    private Await() {
    }

    /**
     * @param what what is awaited, for the failure message
     * @param condition checked every 10 ms until it holds
     * @throws AssertionError when it does not hold within {@link #PATIENCE}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, condition, PATIENCE);
    }

    /**
     * @param what what is awaited, for the failure message
     * @param condition checked every 10 ms until it holds
     * @param patience how long to wait before failing the test
     * @throws AssertionError when it does not hold within {@code patience}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public static void until(String what, BooleanSupplier condition, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + patience.toMillis() + " ms waiting for: " + what);
            }
            Thread.sleep(POLL_MS);
        }
    }
}
