package io.fluxrig.iso8583.gear;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * One {@code iso8583.server} instance's metrics on the rack's {@link MeterProvider} (rack.telemetry,
 * which serves them on {@code /metrics} and over OTLP). Counters and gauges are read from the
 * server's own atomics when metrics are collected (observable instruments: nothing on the frame
 * path); only the answer latency is recorded per response. Every point carries
 * {@code fluxrig.gear.instance}; the only other attributes are fixed words ({@code reason},
 * {@code error.type}), never message data, so no card data can reach a label.
 *
 * <p>Made by {@link ServerGear} while both a provider is bound and the gear is open; thread-safe;
 * {@link #close} removes the callbacks.
 */
final class ServerMetrics implements AutoCloseable {
    static final String SCOPE = "io.fluxrig.iso8583";
    static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("fluxrig.gear.instance");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** Seconds: a terminal's answer takes from under a millisecond (in-rack) to its timeout (seconds). */
    private static final List<Double> BUCKETS = List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
            2.5, 5.0, 10.0);

    private final Attributes instance;
    private final DoubleHistogram answers;
    private final List<AutoCloseable> callbacks;

    /** @param server the current binding, or null while the gear is closed (nothing is reported then) */
    ServerMetrics(MeterProvider provider, String instance, Supplier<IsoServer> server) {
        this.instance = Attributes.of(INSTANCE, instance);
        Meter meter = provider.get(SCOPE);
        this.answers = meter.histogramBuilder("fluxrig.iso8583.server.answer.duration").setUnit("s")
                .setDescription("from reading a request to writing its answer (answers that carry the request's hop)")
                .setExplicitBucketBoundariesAdvice(BUCKETS).build();
        callbacks = List.of(
                meter.upDownCounterBuilder("fluxrig.iso8583.server.connections.open").setUnit("{connection}")
                        .setDescription("connections open now").buildWithCallback(m -> each(server, m, s -> s.counters().connectionsOpen())),
                counter(meter, "fluxrig.iso8583.server.connections.accepted", "{connection}", "connections accepted", server,
                        s -> s.counters().connectionsTotal()),
                meter.counterBuilder("fluxrig.iso8583.server.connections.refused").setUnit("{connection}")
                        .setDescription("connections closed at accept, by the cap that refused them").buildWithCallback(m -> {
                            IsoServer s = server.get();
                            if (s != null) {
                                m.record(s.refusedMax(), this.instance.toBuilder().put(REASON, "max_connections").build());
                                m.record(s.refusedPerAddress(), this.instance.toBuilder().put(REASON, "max_connections_per_address").build());
                            }
                        }),
                meter.counterBuilder("fluxrig.iso8583.server.connections.failed").setUnit("{connection}")
                        .setDescription("connections closed for a framing error, a timeout or an I/O failure, by error.type")
                        .buildWithCallback(m -> {
                            IsoServer s = server.get();
                            if (s != null) {
                                for (FramingErrors.Kind k : FramingErrors.Kind.values()) {
                                    m.record(s.failures(k), this.instance.toBuilder().put(ERROR_TYPE, k.label()).build());
                                }
                            }
                        }),
                counter(meter, "fluxrig.iso8583.server.frames.in", "{frame}", "frames read and emitted", server, s -> s.counters().framesIn()),
                counter(meter, "fluxrig.iso8583.server.frames.out", "{frame}", "frames written (answers and back-pressure declines)",
                        server, s -> s.counters().framesOut()),
                counter(meter, "fluxrig.iso8583.server.backpressure.rejected", "{frame}", "frames read but not taken downstream",
                        server, s -> s.counters().rejected()),
                counter(meter, "fluxrig.iso8583.server.backpressure.declined", "{frame}",
                        "of those, answered at once with a decline (39 = 96)", server, s -> s.counters().declined()),
                counter(meter, "fluxrig.iso8583.server.undeliverable", "{frame}",
                        "answers for a closed or unknown connection, or whose write failed", server, s -> s.counters().undeliverable()),
                meter.upDownCounterBuilder("fluxrig.iso8583.server.in_flight").setUnit("{request}")
                        .setDescription("requests read on the open connections and not answered on them yet")
                        .buildWithCallback(m -> each(server, m, IsoServer::inFlight)));
    }

    private AutoCloseable counter(Meter meter, String name, String unit, String description, Supplier<IsoServer> server,
            ToLongFunction<IsoServer> value) {
        return meter.counterBuilder(name).setUnit(unit).setDescription(description).buildWithCallback(m -> each(server, m, value));
    }

    private void each(Supplier<IsoServer> server, ObservableLongMeasurement m, ToLongFunction<IsoServer> value) {
        IsoServer s = server.get();
        if (s != null) {
            m.record(value.applyAsLong(s), instance);
        }
    }

    /** Records one answer's latency (any thread). */
    void answered(long nanos) {
        answers.record(nanos / 1e9, instance);
    }

    @Override
    public void close() {
        for (AutoCloseable c : callbacks) {
            try {
                c.close();
            } catch (Exception e) {
                // an SDK that is shutting down
            }
        }
    }
}
