package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireSubscription;
import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thin backlog (one request at a time, as a terminal sends them) must not wait for a pull to
 * end: a message published to a wire whose consumer is idle is delivered as soon as it arrives,
 * whatever the wire's max in flight.
 *
 * <p>Why this proves it without a clock threshold per message: with max in flight 16 the fetch
 * loop holds a pull of up to 16 messages open for 500 ms. If a message published mid-pull had to
 * wait for that pull to end (a batch that must fill, or slots freed mid-pull left unused until the
 * next pull), a publisher that waits for each delivery before sending the next would pay up to
 * 500 ms per message: about 50 x 500 ms = 25 s for 50 rounds. The test allows 15 s overall, a very
 * generous bound for 50 deliveries that should each take a few ms, yet one such behaviour cannot
 * meet. Each step also waits at most 10 s, so a lost delivery fails the test instead of hanging it.
 *
 * <p>{@link WireConsumer} takes each message of an open pull as it arrives, and the server serves
 * an open pull request the moment a message is stored. The test guards that behaviour.
 */
class IdleConsumerLatencyTest {
    private static final int IN_FLIGHT = 16;
    private static final int ROUNDS = 50;

    @Test
    void anIdleConsumerWithMaxInFlight16GetsEachMessageWithoutWaitingForThePullToEnd() throws Exception {
        try (NatsServer server = NatsServer.started()) {
            JetStreamWireTransport t = new JetStreamWireTransport(Wires.settings(server));
            SynchronousQueue<Long> delivered = new SynchronousQueue<>();
            try {
                t.addStream(Wires.stream("THIN", "thin", new ConsumerSpec(false, IN_FLIGHT, Duration.ofSeconds(30), 5,
                        Duration.ofMillis(100))));
                Await.until("connected", () -> "CONNECTED".equals(t.state()));
                WireSubscription sub = t.subscribe("thin", "rack-b.thin", d -> {
                    long seq = ((Number) d.msg().data().get("seq")).longValue();
                    d.ack();
                    try {
                        delivered.put(seq);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Thread.sleep(1_200); // the consumer is idle: its fetch loop is waiting on an empty wire
                long start = System.nanoTime();
                long deadline = start + TimeUnit.SECONDS.toNanos(15);
                int got = 0;
                long worst = 0;
                for (int i = 0; i < ROUNDS && System.nanoTime() < deadline; i++) {
                    long sent = System.nanoTime();
                    t.publish("thin", Wires.msg("p", i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    Long seq = delivered.poll(10, TimeUnit.SECONDS);
                    assertEquals(Long.valueOf(i), seq, "delivery " + i);
                    worst = Math.max(worst, System.nanoTime() - sent);
                    got++;
                }
                long took = System.nanoTime() - start;
                System.out.printf("idle consumer, max in flight %d: %d one-at-a-time deliveries in %d ms (worst %d ms)%n",
                        IN_FLIGHT, got, TimeUnit.NANOSECONDS.toMillis(took), TimeUnit.NANOSECONDS.toMillis(worst));
                assertEquals(ROUNDS, got, "all " + ROUNDS + " ping-pong deliveries within 15 s");
                assertTrue(took < TimeUnit.SECONDS.toNanos(15), "took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
                sub.close();
            } finally {
                t.deactivate();
            }
        }
    }
}
