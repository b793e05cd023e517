package io.fluxrig.rack.runtime.route;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The wire delivery whose synchronous in-rack chain is running on the current thread. It decides
 * when that delivery may be acknowledged: a wire message is "fully handled" only when the chain
 * returned without leaving it in memory and every publish the chain made to an outgoing wire was
 * acknowledged by the transport. So nothing acknowledged upstream can be lost when the rack dies.
 *
 * <p>Threading: created, filled and completed-over by the delivering thread while its chain runs
 * (no locking); {@link #completion()} may complete later on a publisher thread.
 */
final class DeliveryScope {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private List<CompletableFuture<Void>> publishes;

    /** The chain handed a message to a wire outlet: the delivery also waits for its publish ack. */
    void awaitPublish(CompletableFuture<Void> acked) {
        if (publishes == null) {
            publishes = new ArrayList<>(2);
        }
        publishes.add(acked);
    }

    /** @return completes when every publish of the chain was acknowledged; fails when one failed */
    CompletableFuture<Void> completion() {
        return publishes == null ? DONE : CompletableFuture.allOf(publishes.toArray(CompletableFuture[]::new));
    }
}
