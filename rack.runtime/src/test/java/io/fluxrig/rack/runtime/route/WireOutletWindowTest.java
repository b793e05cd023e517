package io.fluxrig.rack.runtime.route;

import static io.fluxrig.rack.runtime.route.TestGears.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.wire.WireHandler;
import io.fluxrig.wire.WireSubscription;
import io.fluxrig.wire.WireTransport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outlet's publish window slides: a message is sent while earlier publishes still wait for
 * their acknowledgements, and messages still leave the buffer only in order as acks arrive.
 */
class WireOutletWindowTest {
    /** A transport whose acknowledgements the test gives, one by one. */
    private static final class HeldAcks implements WireTransport {
        final List<FluxMsg> sent = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> acks = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> publish(String wire, FluxMsg msg) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            sent.add(msg);
            acks.add(ack);
            return ack;
        }

        @Override
        public WireSubscription subscribe(String wire, String consumer, WireHandler handler) {
            throw new UnsupportedOperationException();
        }

        long seq(int i) {
            return ((Number) sent.get(i).get("seq")).longValue();
        }
    }

    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HeldAcks transport = new HeldAcks();
    private final WireOutlet outlet = new WireOutlet("w", new Dispatcher("edge", 1_000, delays), 100, 100, executor, delays);

    @AfterEach
    void close() {
        delays.shutdownNow();
        executor.shutdownNow();
    }

    @Test
    void aMessageIsSentWhileEarlierOnesAwaitTheirAcks() throws InterruptedException {
        outlet.transport(transport);
        outlet.accept(msg(1));
        Await.until("message 1 sent", () -> transport.sent.size() == 1);
        outlet.accept(msg(2)); // message 1's ack has not come
        Await.until("message 2 sent before message 1 was acknowledged", () -> transport.sent.size() == 2);
        outlet.accept(msg(3));
        Await.until("message 3 sent too", () -> transport.sent.size() == 3);
        assertEquals(List.of(1L, 2L, 3L), List.of(transport.seq(0), transport.seq(1), transport.seq(2)));
        assertEquals(3, outlet.buffered());

        transport.acks.get(1).complete(null); // out of order: 1 still heads the buffer, so nothing leaves
        transport.acks.get(0).complete(null);
        Await.until("1 and 2 acknowledged and removed in order", () -> outlet.buffered() == 1);
        transport.acks.get(2).complete(null);
        Await.until("all acknowledged", () -> outlet.buffered() == 0);
        assertEquals(3, transport.sent.size(), "nothing sent twice");
    }

    @Test
    void aFailedPublishIsResentFromTheFirstUnacknowledgedMessage() throws InterruptedException {
        outlet.transport(transport);
        outlet.accept(msg(1));
        outlet.accept(msg(2));
        Await.until("both sent", () -> transport.sent.size() == 2);
        transport.acks.get(1).complete(null);
        transport.acks.get(0).completeExceptionally(new IllegalStateException("broker away"));
        Await.until("both sent again after the retry delay", () -> transport.sent.size() == 4);
        assertEquals(List.of(1L, 2L), List.of(transport.seq(2), transport.seq(3)));
        assertEquals(2, outlet.buffered(), "nothing removed without its ack");
        transport.acks.get(2).complete(null);
        transport.acks.get(3).complete(null);
        Await.until("all acknowledged", () -> outlet.buffered() == 0);
    }
}
