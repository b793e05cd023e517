package io.fluxrig.rack.runtime.route;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO where producers wait (bounded) for space. The consumer peeks the head, handles
 * it, and only then removes it, so a message being handled still counts as waiting and nothing
 * can overtake it.
 *
 * <p>Thread-safe: any number of producers; one consumer at a time (the owner's drain task).
 * {@link #size()} is a volatile read, cheap enough for the router's fast path.
 *
 * @param <T> the item type
 */
final class BoundedBuffer<T> {
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private volatile int size;

    BoundedBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("buffer capacity must be at least 1, is " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * @param item the item to append
     * @param timeoutNanos how long to wait for space
     * @return false when there was no space within the timeout
     * @throws InterruptedException when interrupted while waiting
     */
    boolean put(T item, long timeoutNanos) throws InterruptedException {
        long left = timeoutNanos;
        lock.lockInterruptibly();
        try {
            while (items.size() >= capacity) {
                if (left <= 0) {
                    return false;
                }
                left = notFull.awaitNanos(left);
            }
            items.addLast(item);
            size = items.size();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return the head, not removed, or null when empty */
    T peek() {
        lock.lock();
        try {
            return items.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param n the most items to return
     * @return up to {@code n} items from the head, in order, not removed
     */
    List<T> peekFirst(int n) {
        lock.lock();
        try {
            List<T> head = new ArrayList<>(Math.min(n, items.size()));
            Iterator<T> it = items.iterator();
            while (head.size() < n && it.hasNext()) {
                head.add(it.next());
            }
            return head;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @param skip items at the head to pass over (already being handled)
     * @param n the most items to return
     * @return up to {@code n} items after the first {@code skip}, in order, not removed; an
     *     immutable empty list when there are none
     */
    List<T> peekAfter(int skip, int n) {
        lock.lock();
        try {
            int available = Math.min(n, items.size() - skip);
            if (available <= 0) {
                return List.of();
            }
            List<T> out = new ArrayList<>(available);
            Iterator<T> it = items.iterator();
            for (int i = 0; i < skip; i++) {
                it.next();
            }
            while (out.size() < available) {
                out.add(it.next());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** @return every waiting item, removed; wakes every waiting producer */
    List<T> drain() {
        lock.lock();
        try {
            List<T> all = new ArrayList<>(items);
            items.clear();
            size = 0;
            notFull.signalAll();
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Removes the head (after it was handled) and wakes a waiting producer. */
    void removeHead() {
        lock.lock();
        try {
            items.pollFirst();
            size = items.size();
            notFull.signal();
        } finally {
            lock.unlock();
        }
    }

    /** @return how many items were dropped; wakes every waiting producer */
    int clear() {
        lock.lock();
        try {
            int n = items.size();
            items.clear();
            size = 0;
            notFull.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** @return the number of waiting items (volatile read, no lock) */
    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
