package io.fluxrig.rack.runtime.route;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One wire delivery being handled, and when it may be acknowledged: a wire message is "fully
 * handled" only when its synchronous chain returned without leaving it in memory, every
 * {@link HeldDeferral deferral} a gear took on it was completed, and every publish the chain and
 * the deferrals' emits made to outgoing wires was acknowledged by the transport. Any failure
 * (a chain that threw, a deferral failed or timed out, a message that could not be routed, a
 * publish that failed) settles it at once as failed, with the first reason. So nothing
 * acknowledged upstream can be lost when the rack dies.
 *
 * <p>Lifecycle: the delivering thread creates it, runs the chain inside it (see
 * {@link Dispatcher#enterWireDelivery}), then {@link #seal seals} it; deferrals {@link #hold}
 * and {@link #release} it from any thread. {@link #outcome()} completes exactly once: with null
 * (acknowledge) or with the reason (nak).
 *
 * <p>Threading: state is guarded by {@code this}; the outcome completes outside the lock.
 */
final class DeliveryScope {
    private final CompletableFuture<String> outcome = new CompletableFuture<>();
    private List<CompletableFuture<Void>> publishes;
    private int holds;
    private boolean sealed;
    private boolean finishing;

    /** The chain handed a message to a wire outlet: the delivery also waits for its publish ack. */
    synchronized void awaitPublish(CompletableFuture<Void> acked) {
        if (publishes == null) {
            publishes = new ArrayList<>(2);
        }
        publishes.add(acked);
    }

    /** A gear deferred the message: the delivery waits for a matching {@link #release()}. */
    synchronized void hold() {
        holds++;
    }

    /** A deferral was settled (after {@link #fail} when it failed). */
    void release() {
        boolean finish;
        synchronized (this) {
            holds--;
            finish = readyToFinish();
        }
        if (finish) {
            finish();
        }
    }

    /** The synchronous chain returned (after {@link #fail} when it threw). */
    void seal() {
        boolean finish;
        synchronized (this) {
            sealed = true;
            finish = readyToFinish();
        }
        if (finish) {
            finish();
        }
    }

    /** Settles the delivery as failed now, unless it is already settled; the first reason wins. */
    void fail(String reason) {
        outcome.complete(reason == null ? "no reason given" : reason);
    }

    /** @return true once the delivery's outcome is decided (nothing more it does counts) */
    boolean settled() {
        return outcome.isDone();
    }

    /** @return completes once: null to acknowledge, or the reason to nak */
    CompletableFuture<String> outcome() {
        return outcome;
    }

    private boolean readyToFinish() {
        if (!sealed || holds > 0 || finishing) {
            return false;
        }
        finishing = true;
        return true;
    }

    private void finish() {
        List<CompletableFuture<Void>> all;
        synchronized (this) {
            all = publishes == null ? List.of() : List.copyOf(publishes);
        }
        if (all.isEmpty()) {
            outcome.complete(null);
            return;
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((ok, err) -> {
            if (err == null) {
                outcome.complete(null);
            } else {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                outcome.complete("publish downstream failed: " + cause);
            }
        });
    }
}
