package io.fluxrig.rack.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * Reads the SDK's own span-pipeline counters on demand: the batch processor's
 * {@value #PROCESSED} (with {@code error.type} when a span was dropped, e.g. {@code queue_full})
 * and the OTLP exporter's {@value #EXPORTED} (with {@code error.type} when the collector refused
 * or did not answer). A {@link MetricReader} that collects only when asked, cumulative, so a
 * status call sees totals since the SDK was built. Thread-safe (the SDK serialises collection).
 */
final class SdkCounters implements MetricReader {
    static final String PROCESSED = "otel.sdk.processor.span.processed";
    static final String EXPORTED = "otel.sdk.exporter.span.exported";
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    /** Totals read in one collection. */
    record Totals(long exported, long dropped) {
    }

    @Override
    public void register(CollectionRegistration r) {
        registration = r;
    }

    Totals totals() {
        long exported = 0;
        long dropped = 0;
        for (MetricData m : registration.collectAllMetrics()) {
            boolean processed = PROCESSED.equals(m.getName());
            if (!processed && !EXPORTED.equals(m.getName())) {
                continue;
            }
            for (LongPointData p : m.getLongSumData().getPoints()) {
                boolean failed = p.getAttributes().get(ERROR_TYPE) != null;
                if (failed) {
                    dropped += p.getValue();
                } else if (!processed) {
                    exported += p.getValue();
                }
            }
        }
        return new Totals(exported, dropped);
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        registration = CollectionRegistration.noop();
        return CompletableResultCode.ofSuccess();
    }
}
