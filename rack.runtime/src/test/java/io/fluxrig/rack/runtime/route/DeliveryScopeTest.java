package io.fluxrig.rack.runtime.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** When a wire delivery may be acknowledged: the scope's bookkeeping as pure logic. */
class DeliveryScopeTest {

    @Test
    void aChainWithNothingPendingIsAcknowledgedWhenSealed() {
        DeliveryScope s = new DeliveryScope();
        assertFalse(s.settled());
        s.seal();
        assertTrue(s.outcome().isDone());
        assertNull(s.outcome().join(), "null means acknowledge");
    }

    @Test
    void aPublishKeepsItOpenUntilAcknowledged() {
        DeliveryScope s = new DeliveryScope();
        CompletableFuture<Void> publish = new CompletableFuture<>();
        s.awaitPublish(publish);
        s.seal();
        assertFalse(s.settled());
        publish.complete(null);
        assertNull(s.outcome().join());
    }

    @Test
    void aFailedPublishNaksWithItsCause() {
        DeliveryScope s = new DeliveryScope();
        CompletableFuture<Void> publish = new CompletableFuture<>();
        s.awaitPublish(publish);
        s.seal();
        publish.completeExceptionally(new IllegalStateException("broker down"));
        assertEquals("publish downstream failed: java.lang.IllegalStateException: broker down", s.outcome().join());
    }

    @Test
    void aHoldKeepsItOpenPastTheSealAndItsPublishesCount() {
        DeliveryScope s = new DeliveryScope();
        s.hold();
        s.seal();
        assertFalse(s.settled(), "the chain returned but a gear still holds the message");
        CompletableFuture<Void> publish = new CompletableFuture<>();
        s.awaitPublish(publish); // the deferred emit, from another thread in real life
        s.release();
        assertFalse(s.settled(), "released, but its publish is not acknowledged yet");
        publish.complete(null);
        assertNull(s.outcome().join());
    }

    @Test
    void releasedBeforeTheSealItWaitsForTheSeal() {
        DeliveryScope s = new DeliveryScope();
        s.hold();
        s.release();
        assertFalse(s.settled(), "the chain is still running");
        s.seal();
        assertNull(s.outcome().join());
    }

    @Test
    void twoHoldsBothCount() {
        DeliveryScope s = new DeliveryScope();
        s.hold();
        s.hold();
        s.seal();
        s.release();
        assertFalse(s.settled());
        s.release();
        assertNull(s.outcome().join());
    }

    @Test
    void aFailureSettlesAtOnceAndTheFirstReasonWins() {
        DeliveryScope s = new DeliveryScope();
        s.hold();
        s.fail("gear a: backend gone");
        assertTrue(s.settled(), "naked without waiting for the hold or the seal");
        s.fail("later reason");
        s.seal();
        s.release();
        assertEquals("gear a: backend gone", s.outcome().join());
    }

    @Test
    void aFailureWhilePublishesArePendingStillNaks() {
        DeliveryScope s = new DeliveryScope();
        CompletableFuture<Void> publish = new CompletableFuture<>();
        s.awaitPublish(publish);
        s.seal();
        s.fail("no meta");
        publish.complete(null);
        assertEquals("no meta", s.outcome().join());
    }
}
