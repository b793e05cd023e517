package io.fluxrig.rack.runtime.route;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The rack's per gear instance metrics, present only while a {@link MeterProvider} is bound (the
 * {@link Dispatcher} holds null otherwise). The counters are the inlets' own {@link GearStats},
 * read when metrics are collected (observable instruments: no work on the hot path); only the
 * processing-time histogram is recorded per call.
 *
 * <ul>
 *   <li>{@code fluxrig.gear.messages.in} / {@code .out}: messages handed to the gear / emitted on a linked port;
 *   <li>{@code fluxrig.gear.rejected}: rejections ({@code GearRejection}, {@code GearContext.reject});
 *   <li>{@code fluxrig.gear.errors}: rejections and failures (any other exception);
 *   <li>{@code fluxrig.gear.unrouted}: emits on a port without links;
 *   <li>{@code fluxrig.gear.buffered}: messages waiting for the gear (gauge);
 *   <li>{@code fluxrig.gear.duration} (s): time in {@code onMessage}, downstream synchronous chain included.
 * </ul>
 * Attributes: {@code fluxrig.gear.instance}, {@code fluxrig.gear.type} (the rack is the resource).
 * Thread-safe; {@link #close} removes the callbacks.
 */
final class GearMetrics implements AutoCloseable {
    static final String SCOPE = "io.fluxrig.rack.runtime";
    private static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("fluxrig.gear.instance");
    private static final AttributeKey<String> TYPE = AttributeKey.stringKey("fluxrig.gear.type");
    private static final List<Double> BUCKETS = List.of(0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05,
            0.1, 0.5, 1.0, 5.0);

    /** One gear instance as the callbacks see it. */
    record Row(String instance, String type, GearStats stats, int buffered) {
    }

    private final DoubleHistogram duration;
    private final List<AutoCloseable> callbacks;
    private final Map<String, Attributes> attributes = new ConcurrentHashMap<>();
    private final Dispatcher dispatcher;

    /**
     * @param rows the instances of the applied patch, read on the collecting thread
     */
    GearMetrics(MeterProvider provider, Dispatcher dispatcher, java.util.function.Supplier<List<Row>> rows) {
        this.dispatcher = dispatcher;
        Meter meter = provider.get(SCOPE);
        duration = meter.histogramBuilder("fluxrig.gear.duration").setUnit("s")
                .setDescription("time a gear call took, its synchronous downstream included")
                .setExplicitBucketBoundariesAdvice(BUCKETS).build();
        callbacks = List.of(
                counter(meter, "fluxrig.gear.messages.in", "messages handed to the gear", rows, s -> s.in.sum()),
                counter(meter, "fluxrig.gear.messages.out", "messages the gear emitted on a linked port", rows, s -> s.out.sum()),
                counter(meter, "fluxrig.gear.rejected", "messages the gear rejected", rows, s -> s.rejected.sum()),
                counter(meter, "fluxrig.gear.errors", "messages the gear rejected or failed on", rows, s -> s.errors.sum()),
                counter(meter, "fluxrig.gear.unrouted", "messages emitted on a port without links", rows, s -> s.unrouted.sum()),
                meter.upDownCounterBuilder("fluxrig.gear.buffered").setUnit("{message}")
                        .setDescription("messages waiting for the gear").buildWithCallback(m -> {
                            for (Row r : rows.get()) {
                                m.record(r.buffered(), attributes(r.instance()));
                            }
                        }));
    }

    private AutoCloseable counter(Meter meter, String name, String description, java.util.function.Supplier<List<Row>> rows,
            ToLongFunction<GearStats> value) {
        Consumer<ObservableLongMeasurement> cb = m -> {
            for (Row r : rows.get()) {
                m.record(value.applyAsLong(r.stats()), attributes(r.instance()));
            }
        };
        return meter.counterBuilder(name).setUnit("{message}").setDescription(description).buildWithCallback(cb);
    }

    private Attributes attributes(String instance) {
        return attributes.computeIfAbsent(instance, i -> Attributes.of(INSTANCE, i, TYPE, dispatcher.typeOf(i)));
    }

    /** Records one gear call's duration. */
    void record(String instance, long nanos) {
        duration.record(nanos / 1e9, attributes(instance));
    }

    @Override
    public void close() {
        for (AutoCloseable c : callbacks) {
            try {
                c.close();
            } catch (Exception e) {
                // an SDK that is shutting down: nothing more to remove
            }
        }
    }
}
