package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireSubscription;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nats-server stopped with SIGTERM, and later killed with SIGKILL, each time restarted on the
 * same port and store while two producers publish (one in flight each, retrying a failed
 * publish like the rack's WireOutlet) and a consumer in another transport (another rack) reads
 * an ordered wire. Neither transport is restarted. The checker must find no acknowledged
 * message lost, no message stored twice (the stream holds exactly what was acknowledged: the
 * retries with the same Nats-Msg-Id were deduplicated) and no reordering; redeliveries are
 * allowed (after SIGKILL nats-server 2.9 may redeliver acknowledged messages with delivery
 * count 1, because it lost the consumer's ack state: the test reports how many).
 */
class NatsRestartFaultTest {
    private static final int PER_PRODUCER = 1500;

    @Test
    void acknowledgedMessagesSurviveServerStopAndKillWithoutRestartingTheTransports() throws Exception {
        try (NatsServer server = NatsServer.started()) {
            StreamSpec spec = Wires.stream("FAULTS", "faults", Wires.consumer(true, 100, Duration.ofSeconds(2)));
            JetStreamWireTransport publisher = new JetStreamWireTransport(Wires.settings(server));
            JetStreamWireTransport consumer = new JetStreamWireTransport(Wires.settings(server));
            WireHistory history = new WireHistory();
            try {
                publisher.addStream(spec);
                consumer.addStream(spec);
                Await.until("connected", () -> "CONNECTED".equals(consumer.state()));
                WireSubscription sub = consumer.subscribe("faults", "rack-b-sink-faults", d -> {
                    FluxMsg m = d.msg();
                    history.delivered(m.getString("producer"), m.getLong("seq"), d.deliveryCount());
                    d.ack();
                });
                RetryingProducers producers = RetryingProducers.start(publisher, "faults", List.of("p1", "p2"), PER_PRODUCER,

                        Duration.ofSeconds(10), Duration.ofMillis(200), history);
                long t0 = System.nanoTime();
                waitForAcked(history, 400);
                history.phase("sigterm");
                server.stop();
                long stoppedAt = System.nanoTime();
                Thread.sleep(1_000);
                server.start();
                waitForAcked(history, 1_600);
                history.phase("sigkill");
                server.kill();
                Thread.sleep(1_000);
                server.start();
                producers.join(Duration.ofSeconds(60));
                Await.until("every message delivered", () -> history.distinctDelivered() >= 2 * PER_PRODUCER);
                sub.close();
                WireHistory.Result r = history.check();
                long stored;
                try (io.nats.client.Connection c = server.connect()) {
                    stored = c.jetStreamManagement().getStreamInfo("FAULTS").getStreamState().getMsgCount();
                }
                System.out.printf("nats restart fault test: %s; publish failures seen by producers %d, failed attempts %d,"
                        +  " stream holds %d, first stop after %d ms, total %d ms%n", r, producers.failures(), publisher.publishFailures(), stored,
                        (stoppedAt - t0) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
                assertEquals(2 * PER_PRODUCER, r.acked(), "every message was eventually acknowledged");
                assertTrue(r.lost().isEmpty(), "lost: " + r);
                assertEquals(2 * PER_PRODUCER, stored, "no message stored twice: " + r);
                assertTrue(r.reordered().isEmpty(), "reordered: " + r);
                assertEquals("CONNECTED", publisher.state());
            } finally {
                publisher.deactivate();
                consumer.deactivate();
            }
        }
    }

    private static void waitForAcked(WireHistory h, int n) throws InterruptedException {
        Await.until("n acknowledged", () -> h.check().acked() >= n);
    }
}
