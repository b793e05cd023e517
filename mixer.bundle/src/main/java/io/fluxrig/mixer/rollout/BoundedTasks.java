package io.fluxrig.mixer.rollout;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one task per item with at most {@link #limit()} running at once, and returns when every
 * task has ended. Used to queue a fan-out's commands: each is a few blocking KV round trips, so
 * one at a time the round trip time, not NATS, sets the rate.
 *
 * <p>Threading: owns a fixed pool of {@code limit} daemon threads. {@link #run} is called by one
 * caller thread at a time (the fan-out thread); it blocks that thread, and a permit per running
 * task keeps at most {@code limit} tasks submitted, so the pool's queue never holds more. A task
 * must not throw (its own failures are its business); one that does is counted and the rest go
 * on. {@link #close} interrupts the running tasks and stops the pool.
 */
final class BoundedTasks implements AutoCloseable {
    private final int limit;
    private final ExecutorService pool;

    /**
     * @param limit tasks running at once, 1 or more
     * @param name thread name prefix
     */
    BoundedTasks(int limit, String name) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more");
        }
        this.limit = limit;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(limit, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** @return tasks running at once at most */
    int limit() {
        return limit;
    }

    /**
     * Runs {@code task} for each item, at most {@link #limit()} at once, in the items' order of
     * start, and waits until all have ended.
     *
     * @param items the items
     * @param task what to do with one (must not throw)
     * @return how many tasks threw
     * @throws InterruptedException when the caller is interrupted (tasks already started run on)
     */
    <T> int run(Iterable<T> items, Consumer<T> task) throws InterruptedException {
        Semaphore permits = new Semaphore(limit);
        AtomicInteger threw = new AtomicInteger();
        for (T item : items) {
            permits.acquire();
            try {
                pool.execute(() -> {
                    try {
                        task.accept(item);
                    } catch (RuntimeException | Error e) {
                        threw.incrementAndGet();
                    } finally {
                        permits.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                permits.release();
                throw new InterruptedException("stopped: " + e.getMessage());
            }
        }
        permits.acquire(limit); // every task has ended
        return threw.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
