package io.fluxrig.gear.basic;

import io.fluxrig.msg.FluxMsg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The requests a {@code deadline} gear waits on, by message id, each with the time it gives up.
 * Every request has the same timeout, so the order of arrival is the order of deadlines: a FIFO
 * queue beside the map lets {@link #expire} look only at the oldest. A request leaves the map
 * exactly once, by {@link #reply} or by {@link #expire} ({@code Map.remove(key, value)} decides
 * which); an answered entry stays in the queue until its deadline passes (removing it from the
 * middle would cost O(n)), so the queue holds at most what arrived within one timeout.
 *
 * <p>Thread-safe: requests and replies arrive on any thread, expiry runs on the gear's timer.
 * Times are caller-supplied nanoseconds ({@code System.nanoTime()}), so tests set them.
 */
final class Deadlines {
    /** One waiting request. Identity equality: the same id registered twice is two entries. */
    static final class Waiting {
        final FluxMsg request;
        final long deadline;

        Waiting(FluxMsg request, long deadline) {
            this.request = request;
            this.deadline = deadline;
        }
    }

    private final long timeoutNanos;
    private final int maxPending;
    private final Map<UUID, Waiting> byId = new ConcurrentHashMap<>();
    private final Queue<Waiting> byDeadline = new ConcurrentLinkedQueue<>();

    Deadlines(long timeoutNanos, int maxPending) {
        this.timeoutNanos = timeoutNanos;
        this.maxPending = maxPending;
    }

    /**
     * @param request the request, waited on by its id
     * @param now the current time in nanoseconds
     * @return the entry (to {@link #forget} if forwarding it fails), or null when {@code maxPending} wait already
     */
    Waiting register(FluxMsg request, long now) {
        if (byId.size() >= maxPending) {
            return null;
        }
        Waiting w = new Waiting(request, now + timeoutNanos);
        // The same request sent twice replaces the older entry: one reply answers it.
        byId.put(request.id(), w);
        byDeadline.add(w);
        return w;
    }

    /** Drops an entry whose request could not be forwarded. */
    void forget(Waiting w) {
        byId.remove(w.request.id(), w);
    }

    /**
     * Pairs a reply with its request: the request its {@code ref} names (a gear further on derived
     * the reply, as json.http does), else the request with the reply's own id (the request itself
     * came back, changed on its way, as a transform leaves it).
     *
     * @param reply the reply
     * @return the request it answers, or null when none waits (a late reply, a duplicate, or an unknown one)
     */
    FluxMsg answer(FluxMsg reply) {
        Waiting w = take(reply);
        return w == null ? null : w.request;
    }

    /**
     * {@link #answer}, keeping the entry so that {@link #restore} can put it back.
     *
     * @param reply the reply
     * @return the entry of the request it answers, or null when none waits
     */
    Waiting take(FluxMsg reply) {
        Waiting w = reply.ref() == null ? null : byId.remove(reply.ref());
        return w != null || reply.id() == null ? w : byId.remove(reply.id());
    }

    /**
     * Puts back an entry {@link #take} took, when its answer could not be passed on: the request
     * waits again (a reply delivered again answers it), with its own deadline; if that has passed
     * meanwhile it expires at the next {@link #expire}, at worst one timeout late (it is queued
     * again at the back). Nothing happens when the same request waits again already.
     *
     * @param w the entry
     */
    void restore(Waiting w) {
        if (byId.putIfAbsent(w.request.id(), w) == null) {
            byDeadline.add(w);
        }
    }

    /**
     * @param requestId the id the reply refers to ({@code ref})
     * @return the request it answers, or null when none waits (a late reply, a duplicate, or an unknown one)
     */
    FluxMsg reply(UUID requestId) {
        Waiting w = requestId == null ? null : byId.remove(requestId);
        return w == null ? null : w.request;
    }

    /**
     * @param now the current time in nanoseconds
     * @return the requests whose deadline passed and that no reply took, oldest first; they no longer wait
     */
    List<FluxMsg> expire(long now) {
        List<FluxMsg> expired = new ArrayList<>();
        for (Waiting w; (w = byDeadline.peek()) != null && now - w.deadline >= 0; ) {
            byDeadline.poll();
            if (byId.remove(w.request.id(), w)) {
                expired.add(w.request);
            }
        }
        return expired;
    }

    /** @return every request still waiting; they no longer wait (the gear is closing) */
    List<FluxMsg> drain() {
        List<FluxMsg> all = new ArrayList<>();
        for (Waiting w; (w = byDeadline.poll()) != null; ) {
            if (byId.remove(w.request.id(), w)) {
                all.add(w.request);
            }
        }
        return all;
    }

    int size() {
        return byId.size();
    }
}
