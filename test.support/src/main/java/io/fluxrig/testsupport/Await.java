package io.fluxrig.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

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

    /**
     * A look at something outside the test (a process's output, a command's answer, a page); it
     * may fail, and its result says what it saw.
     *
     * @param <T> what it sees
     */
    @FunctionalInterface
    public interface Probe<T> {
        /**
         * @return what it sees now
         * @throws Exception when looking failed; an {@link AssertionError} ends the wait at once
         */
        T look() throws Exception;
    }

    /**
     * Looks until what is seen is {@code done}; the failure names what was awaited and what was
     * seen last.
     *
     * @param <T> what the probe sees
     * @param what what is awaited, for the failure message
     * @param probe looked through every 10 ms (after it returns) until {@code done}
     * @param done whether what is seen is the awaited state
     * @param patience how long to wait before failing the test
     * @return what was seen when done
     * @throws AssertionError when it is not done within {@code patience}, or the probe failed the test
     * @throws Exception what the probe threw
     */
    public static <T> T until(String what, Probe<T> probe, Predicate<? super T> done, Duration patience) throws Exception {
        return until(what, probe, done, patience, Duration.ofMillis(POLL_MS));
    }

    /**
     * As {@link #until(String, Probe, Predicate, Duration)}, with a pause between looks for a probe
     * that costs (a CLI process per look): a pacing of the looks, never a wait that proves anything.
     *
     * @param <T> what the probe sees
     * @param what what is awaited, for the failure message
     * @param probe looked through until {@code done}
     * @param done whether what is seen is the awaited state
     * @param patience how long to wait before failing the test
     * @param pause the pause after each look that was not done
     * @return what was seen when done
     * @throws AssertionError when it is not done within {@code patience}, or the probe failed the test
     * @throws Exception what the probe threw
     */
    public static <T> T until(String what, Probe<T> probe, Predicate<? super T> done, Duration patience, Duration pause)
            throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        T seen = probe.look();
        while (!done.test(seen)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + patience.toMillis() + " ms waiting for: " + what + "; last seen:\n" + seen);
            }
            Thread.sleep(pause.toMillis());
            seen = probe.look();
        }
        return seen;
    }
}
