package io.fluxrig.wire.jetstream;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The transport's metrics while a {@link MeterProvider} is bound, read from its own counters when
 * metrics are collected (observable instruments: nothing on the message path):
 * <ul>
 *   <li>{@code fluxrig.wire.published}, {@code fluxrig.wire.published.duplicates},
 *       {@code fluxrig.wire.publish.failed}, {@code fluxrig.wire.awaiting_ack}: this rack's publishes (all wires);
 *   <li>per subscription ({@code messaging.destination.name} = wire, {@code messaging.consumer.group.name}
 *       = durable consumer): {@code fluxrig.wire.delivered}, {@code fluxrig.wire.redelivered} (delivery
 *       count above 1), {@code fluxrig.wire.dead_lettered}, {@code fluxrig.wire.in_flight} (fetched, not yet
 *       acknowledged or naked by the rack);
 *   <li>the broker's side of each subscription, from JetStream's consumer info ({@link BrokerView}:
 *       at most one request per consumer every 5 s, on this object's own info thread, never on a
 *       scrape's or a message's): {@code fluxrig.wire.broker.pending} (stored, not yet delivered to
 *       the consumer), {@code fluxrig.wire.broker.ack_pending} (delivered, not yet acknowledged) and
 *       {@code fluxrig.wire.broker.redelivered} (of those, delivered more than once). Absent until
 *       the first answer, and while the server does not answer.
 * </ul>
 * Thread-safe; {@link #close} removes the callbacks and stops the info thread.
 */
final class WireMetrics implements AutoCloseable {
    static final String SCOPE = "io.fluxrig.wire.jetstream";
    private static final AttributeKey<String> WIRE = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");

    private final List<AutoCloseable> callbacks;
    /** One daemon thread for the broker's consumer-info requests; a full queue skips a round. */
    private final java.util.concurrent.ThreadPoolExecutor info = new java.util.concurrent.ThreadPoolExecutor(1, 1, 30,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(256), r -> {
                Thread t = new Thread(r, "fluxrig-wire-broker-info");
                t.setDaemon(true);
                return t;
            }, new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());

    WireMetrics(MeterProvider provider, WirePublisher publisher, Supplier<Collection<WireConsumer>> consumers) {
        Meter meter = provider.get(SCOPE);
        callbacks = List.of(
                meter.counterBuilder("fluxrig.wire.published").setUnit("{message}")
                        .setDescription("publishes JetStream acknowledged").buildWithCallback(m -> m.record(publisher.acked())),
                meter.counterBuilder("fluxrig.wire.published.duplicates").setUnit("{message}")
                        .setDescription("acknowledged publishes the duplicate window absorbed")
                        .buildWithCallback(m -> m.record(publisher.duplicates())),
                meter.counterBuilder("fluxrig.wire.publish.failed").setUnit("{message}")
                        .setDescription("publishes that failed (not connected, refused, no ack in time)")
                        .buildWithCallback(m -> m.record(publisher.failures())),
                meter.upDownCounterBuilder("fluxrig.wire.awaiting_ack").setUnit("{message}")
                        .setDescription("publishes awaiting JetStream's ack").buildWithCallback(m -> m.record(publisher.awaitingAck())),
                perConsumer(meter, "fluxrig.wire.delivered", "deliveries handed to the rack", consumers, c -> c.delivered.sum()),
                perConsumer(meter, "fluxrig.wire.redelivered", "deliveries with a delivery count above 1", consumers,
                        c -> c.redelivered.sum()),
                perConsumer(meter, "fluxrig.wire.dead_lettered", "messages moved to the dead-letter wire", consumers,
                        c -> c.deadLettered.sum()),
                meter.upDownCounterBuilder("fluxrig.wire.in_flight").setUnit("{message}")
                        .setDescription("deliveries fetched and not yet settled by the rack").buildWithCallback(m -> {
                            for (WireConsumer c : consumers.get()) {
                                m.record(c.inFlight(), attributes(c));
                            }
                        }),
                broker(meter, "fluxrig.wire.broker.pending", "messages stored for the consumer and not yet delivered (JetStream num_pending)",
                        consumers, BrokerView.Snapshot::pending),
                broker(meter, "fluxrig.wire.broker.ack_pending", "messages delivered and not yet acknowledged (JetStream num_ack_pending)",
                        consumers, BrokerView.Snapshot::ackPending),
                broker(meter, "fluxrig.wire.broker.redelivered", "unacknowledged messages delivered more than once (JetStream num_redelivered)",
                        consumers, BrokerView.Snapshot::redelivered));
        info.allowCoreThreadTimeOut(true);
    }

    private AutoCloseable broker(Meter meter, String name, String description, Supplier<Collection<WireConsumer>> consumers,
            ToLongFunction<BrokerView.Snapshot> value) {
        return meter.gaugeBuilder(name).ofLongs().setUnit("{message}").setDescription(description).buildWithCallback(m -> {
            for (WireConsumer c : consumers.get()) {
                BrokerView.Snapshot s = c.broker.current(info);
                if (s != null) {
                    m.record(value.applyAsLong(s), attributes(c));
                }
            }
        });
    }

    private static AutoCloseable perConsumer(Meter meter, String name, String description,
            Supplier<Collection<WireConsumer>> consumers, ToLongFunction<WireConsumer> value) {
        return meter.counterBuilder(name).setUnit("{message}").setDescription(description).buildWithCallback(m -> {
            for (WireConsumer c : consumers.get()) {
                m.record(value.applyAsLong(c), attributes(c));
            }
        });
    }

    private static Attributes attributes(WireConsumer c) {
        return Attributes.of(WIRE, c.wire(), GROUP, c.durable());
    }

    @Override
    public void close() {
        info.shutdownNow();
        for (AutoCloseable c : callbacks) {
            try {
                c.close();
            } catch (Exception e) {
                // an SDK that is shutting down
            }
        }
    }
}
