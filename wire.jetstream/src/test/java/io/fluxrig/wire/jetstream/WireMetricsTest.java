package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireSubscription;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport's metrics against a real nats-server, collected by the real SDK. */
class WireMetricsTest {
    private NatsServer server;
    private JetStreamWireTransport transport;
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();

    @BeforeEach
    void start() throws Exception {
        server = NatsServer.started();
        transport = Wires.connected(Wires.settings(server));
        transport.metrics(meters);
    }

    @AfterEach
    void stop() throws Exception {
        transport.deactivate();
        server.close();
        meters.close();
    }

    @Test
    void publishedDeliveredAndRedeliveredMatchWhatHappened() throws Exception {
        for (int i = 0; i < 5; i++) {
            transport.publish("counted", Wires.msg("p", i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        AtomicBoolean nakedOnce = new AtomicBoolean();
        AtomicInteger acked = new AtomicInteger();
        try (WireSubscription s = transport.subscribe("counted", "core-in-counted", d -> {
            if (d.msg().getLong("seq") == 0 && nakedOnce.compareAndSet(false, true)) {
                d.nak(Duration.ZERO, "once more");
            } else {
                d.ack();
                acked.incrementAndGet();
            }
        })) {
            Await.until("five acknowledged, one of them after a redelivery", () -> acked.get() == 5);
            Await.until("the counters settled", () -> sum("fluxrig.wire.delivered") == 6);
            // Per subscription: read while it is open (a closed one is no longer reported).
            assertEquals(1, sum("fluxrig.wire.redelivered"));
            assertEquals(0, sum("fluxrig.wire.dead_lettered"));
        }
        assertEquals(5, sum("fluxrig.wire.published"));
        assertEquals(0, sum("fluxrig.wire.publish.failed"));
    }

    @Test
    void theBrokersPendingCountsOfASubscriptionShowWhatItHasNotTakenYet() throws Exception {
        // An ack wait far beyond the test: a held delivery stays pending, never redelivered meanwhile.
        TransportSettings s = Wires.settings(server);
        JetStreamWireTransport held = Wires.connected(new TransportSettings(s.servers(), s.connectionName(), s.reconnectWait(),
                s.reconnectMaxWait(), s.ackTimeout(), Wires.stream("WIRE_default", "default", Wires.consumer(false, 5,
                        Duration.ofMinutes(5))), s.credentials(), s.tlsCa()));
        held.metrics(meters);
        try {
            int sent = 20;
            for (int i = 0; i < sent; i++) {
                held.publish("backlog", Wires.msg("p", i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            AtomicInteger taken = new AtomicInteger();
            try (WireSubscription sub = held.subscribe("backlog", "core-in-backlog", d -> {
                taken.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                d.ack();
            })) {
                // Every in-flight slot (8) holds a delivery; the other 12 wait on the server.
                Await.until("eight deliveries held", () -> taken.get() == 8 && gauge("fluxrig.wire.in_flight", "backlog") == 8);
                Await.until("the broker's numbers", () -> gauge("fluxrig.wire.broker.pending", "backlog") == sent - 8
                        && gauge("fluxrig.wire.broker.ack_pending", "backlog") == 8);
                assertEquals(0, gauge("fluxrig.wire.broker.redelivered", "backlog"));
                release.countDown();
                Await.until("all taken and acknowledged", () -> gauge("fluxrig.wire.broker.pending", "backlog") == 0
                        && gauge("fluxrig.wire.broker.ack_pending", "backlog") == 0);
                assertEquals(sent, taken.get());
            } finally {
                release.countDown();
            }
        } finally {
            held.deactivate();
        }
    }

    /** @return the value of {@code name} for the wire (its only subscription), or -1 when not reported */
    private long gauge(String name, String wire) {
        return reader.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> name.contains("broker") ? m.getLongGaugeData().getPoints().stream() : m.getLongSumData().getPoints().stream())
                .filter(p -> wire.equals(p.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))))
                .mapToLong(LongPointData::getValue).findFirst().orElse(-1);
    }

    private long sum(String name) {
        return reader.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> !name.equals("fluxrig.wire.delivered") && !name.equals("fluxrig.wire.redelivered")
                        || "counted".equals(p.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))))
                .mapToLong(LongPointData::getValue).sum();
    }
}
