package io.fluxrig.mixer.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;

/**
 * Writes heartbeats to the registry off the Snake's threads: a Snake thread hands a rack's change
 * over ({@link #submit}) and answers at once; one of this writer's threads does the NATS round
 * trips. At most one write per rack is waiting and at most one is running: a change submitted
 * while another of the same rack waits is merged into it (the later heartbeat's fields win, see
 * {@link InventoryChange#then}), so a Mixer that NATS slows down writes less often instead of
 * queueing without bound, and a rack's writes never overtake each other.
 *
 * <p>Threading and ownership: this writer owns its {@code threads} daemon threads
 * ({@code fluxrig-mixer-registry-write-N}), the queue of racks with a waiting change, and the
 * waiting changes themselves (all guarded by one lock, held only for map operations, never during
 * a write). {@link #submit} and {@link #flush} are called from any thread; the write function runs
 * on the writer's threads only, for one rack at a time, and must handle its own failures (a
 * failure it throws is dropped: the next heartbeat of the rack asks again). {@link #close} stops
 * the threads; waiting changes are dropped (the next heartbeat after a restart writes again).
 *
 * @param <T> a rack's change
 */
final class HeartbeatWriter<T> implements AutoCloseable {
    private final Object lock = new Object();
    /** Changes not yet started, by rack. Guarded by {@link #lock}. */
    private final Map<String, T> waiting = new HashMap<>();
    /** Racks queued or being written. Guarded by {@link #lock}. */
    private final Set<String> busy = new HashSet<>();
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final BinaryOperator<T> merge;
    private final BiConsumer<String, T> write;
    private final Thread[] threads;
    private volatile boolean closed;

    /**
     * @param threads writing threads, 1 or more (writes of different racks run in parallel)
     * @param merge an earlier and a later change of one rack to one change
     * @param write writes one rack's change (blocking; on a writer thread)
     */
    HeartbeatWriter(int threads, BinaryOperator<T> merge, BiConsumer<String, T> write) {
        this.merge = merge;
        this.write = write;
        this.threads = new Thread[threads];
        AtomicInteger n = new AtomicInteger();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::run, "fluxrig-mixer-registry-write-" + n.incrementAndGet());
            t.setDaemon(true);
            this.threads[i] = t;
            t.start();
        }
    }

    /**
     * Hands a rack's change over; returns at once.
     *
     * @param rack the rack
     * @param change its change (merged into one still waiting)
     */
    void submit(String rack, T change) {
        synchronized (lock) {
            waiting.merge(rack, change, merge);
            if (busy.add(rack)) {
                queue.add(rack);
            }
        }
    }

    /**
     * Waits until no change of the rack is waiting or being written (read-your-writes for a reader
     * of the bucket, e.g. the operator's read of one rack).
     *
     * @param rack the rack
     * @param timeoutMillis the longest wait
     * @return whether the rack's writes ended within the wait
     * @throws InterruptedException when interrupted while waiting
     */
    boolean flush(String rack, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lock) {
            while (busy.contains(rack) && !closed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }

    /** @return racks with a change waiting or being written */
    int backlog() {
        synchronized (lock) {
            return busy.size();
        }
    }

    private void run() {
        while (!closed) {
            String rack;
            try {
                rack = queue.take();
            } catch (InterruptedException e) {
                return; // closed
            }
            T change;
            synchronized (lock) {
                change = waiting.remove(rack);
            }
            try {
                if (change != null) {
                    write.accept(rack, change);
                }
            } catch (RuntimeException | Error e) {
                // the write function reports its own failures; the rack's next heartbeat asks again
            } finally {
                synchronized (lock) {
                    if (waiting.containsKey(rack) && !closed) {
                        queue.add(rack); // a later change arrived while this one was written
                    } else {
                        busy.remove(rack);
                        lock.notifyAll();
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
