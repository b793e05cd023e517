package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireSubscription;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A gear that stalls: its handler blocks. What the consuming transport holds is capped by the
 * wire's max in flight (pull batch = max ack pending), whatever the backlog; and a publisher into
 * a full {@code discard=new} stream sees each refused message fail instead of losing it silently.
 */
class StalledConsumerTest {
    private static final int IN_FLIGHT = 4;

    @Test
    void aBlockedHandlerHoldsNoMoreThanMaxInFlightWhateverTheBacklog() throws Exception {
        try (NatsServer server = NatsServer.started();
                Connection admin = server.connect()) {
            JetStreamWireTransport t = Wires.connected(Wires.settings(server));
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger entered = new AtomicInteger();
            AtomicInteger acked = new AtomicInteger();
            try {
                t.addStream(Wires.stream("STALL", "stall", new ConsumerSpec(false, IN_FLIGHT, Duration.ofMinutes(5), 5,
                        Duration.ofMillis(100))));
                Await.until("connected", () -> "CONNECTED".equals(t.state()));
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    sent.add(t.publish("stall", Wires.msg("p", i)).toCompletableFuture());
                }
                CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
                WireSubscription sub = t.subscribe("stall", "rack-b.stalled", d -> {
                    entered.incrementAndGet();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    d.ack();
                    acked.incrementAndGet();
                });
                Await.until("max in flight handlers entered", () -> entered.get() >= IN_FLIGHT);
                // Every slot is held: the fetch loop keeps going round without pulling. Wait for it
                // to do so a few times, then check the server delivered nothing more.
                assertEquals(1, t.consumers().size());
                WireConsumer consumer = t.consumers().get(0);
                long full = consumer.fullRounds();
                Await.until("three fetch rounds with every slot held", () -> consumer.fullRounds() >= full + 3);
                ConsumerInfo info = admin.jetStreamManagement().getConsumerInfo("STALL", "rack-b_stalled");
                System.out.printf("stalled consumer: handlers entered %d, server: ack pending %d, delivered %d, pending %d%n",
                        entered.get(), info.getNumAckPending(), info.getDelivered().getStreamSequence(), info.getNumPending());
                assertEquals(IN_FLIGHT, entered.get(), "only max in flight handlers run");
                assertEquals(IN_FLIGHT, info.getNumAckPending(), "the server holds back the rest");
                assertEquals(IN_FLIGHT, info.getDelivered().getStreamSequence(), "nothing beyond the in-flight cap was fetched into memory");
                assertEquals(500 - IN_FLIGHT, info.getNumPending());
                release.countDown();
                Await.until("all 500 acknowledged", () -> acked.get() >= 500);
                assertEquals(500, acked.get(), "after the stall every message is handled");
                sub.close();
            } finally {
                release.countDown();
                t.deactivate();
            }
        }
    }

    @Test
    void aPublisherIntoAFullDiscardNewStreamSeesFailuresNotSilentLoss() throws Exception {
        try (NatsServer server = NatsServer.started();
                Connection admin = server.connect()) {
            JetStreamWireTransport t = Wires.connected(Wires.settings(server));
            try {
                t.addStream(new StreamSpec("FULL", List.of("full"), StorageType.File, 1, Duration.ofHours(1), -1, 50,
                        Duration.ofMinutes(2), DiscardPolicy.New, Wires.consumer(false, 5, Duration.ofSeconds(30))));
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (int i = 0; i < 80; i++) {
                    sent.add(t.publish("full", Wires.msg("p", i)).toCompletableFuture());
                }
                int ok = 0;
                List<String> refused = new ArrayList<>();
                for (CompletableFuture<Void> f : sent) {
                    try {
                        f.get(30, TimeUnit.SECONDS);
                        ok++;
                    } catch (ExecutionException e) {
                        refused.add(e.getCause().getMessage());
                    }
                }
                long stored = admin.jetStreamManagement().getStreamInfo("FULL").getStreamState().getMsgCount();
                System.out.printf("full discard=new stream: %d acknowledged, %d refused (first: %s), stream holds %d%n", ok,
                        refused.size(), refused.isEmpty() ? "-" : refused.get(0), stored);
                assertEquals(50, ok, "acknowledged = what fits");
                assertEquals(50, stored, "the stream holds exactly the acknowledged messages");
                assertEquals(30, refused.size(), "every other publish failed");
                assertTrue(refused.stream().allMatch(m -> m.contains("maximum messages exceeded")), refused.toString());
            } finally {
                t.deactivate();
            }
        }
    }
}
