package io.fluxrig.rack.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * "Keep every error and unusual decline" with a ratio sampler, without a tail: no buffer, no
 * waiting for a trace to finish.
 *
 * <ul>
 *   <li>{@link #sampler}: the parent-based ratio decides the sampled flag as before, but a trace it
 *       leaves out is still recorded ({@code RECORD_ONLY} instead of {@code DROP}), so its spans
 *       get their attributes and status.
 *   <li>{@link #processor}: in front of the batch processor (built to accept unsampled spans), it
 *       passes every sampled span, and an unsampled span only when its status is ERROR or it
 *       carries {@code iso8583.response_code} other than the routine ones ({@code 00}, {@code 05},
 *       {@code 51} by default). Everything else of an unsampled trace ends in memory and is gone.
 * </ul>
 *
 * <p><b>The trade-off, stated.</b> (1) A kept span is decided alone when it ends: the spans of its
 * trace that ended earlier were already dropped and later ones are judged on their own, so a kept
 * span usually arrives without its parent (an incomplete trace whose root is missing, not a
 * connected one) and racks downstream keep their own failing spans by the same rule. A tail
 * sampler would keep whole traces, at the price of buffering every span of every trace until it
 * completes. (2) The instrumented bundles make no span for an unsampled call that succeeded (the
 * OpenTelemetry service's properties tell them how the rack samples, see
 * {@link io.fluxrig.telemetry.MessageSpans}): they make a failed one's span after the call, with its
 * start time, so what reaches this sampler as unsampled is mostly a span worth keeping, plus each
 * trace's first span (its sampled flag is decided here). Off ({@code sampler.keep.errors=false})
 * restores plain parent-based ratio sampling. (3) An unsampled gear-call span is judged
 * by its {@code fluxrig.outcome} attribute; any other unsampled span's status is read through
 * {@code toSpanData()}, one copy of its data.
 *
 * <p>Thread-safe; the processor owns the batch processor it wraps.
 */
final class KeepErrorsSampling {
    static final AttributeKey<String> RESPONSE_CODE = AttributeKey.stringKey("iso8583.response_code");
    /** rack.runtime's gear-call outcome ({@code ok}, {@code rejected}, {@code failed}, {@code backpressure}). */
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("fluxrig.outcome");

    private KeepErrorsSampling() {
    }

    /** @return the parent-based ratio sampler that records what it does not sample */
    static Sampler sampler(double ratio) {
        Sampler decide = Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
        return new Sampler() {
            @Override
            public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind, Attributes attributes,
                    List<LinkData> links) {
                SamplingResult r = decide.shouldSample(parent, traceId, name, kind, attributes, links);
                return r.getDecision() == SamplingDecision.DROP ? SamplingResult.recordOnly() : r;
            }

            @Override
            public String getDescription() {
                return "RecordAll{" + decide.getDescription() + "}";
            }
        };
    }

    /** Passes sampled spans, and unsampled ones that failed or declined unusually, to {@code batches}. */
    static final class Processor implements SpanProcessor {
        private final SpanProcessor batches;
        private final Set<String> routine;
        private final LongAdder kept = new LongAdder();

        /**
         * @param batches a batch processor built with {@code setExportUnsampledSpans(true)}
         * @param routine response codes that are not kept by themselves
         */
        Processor(SpanProcessor batches, Set<String> routine) {
            this.batches = batches;
            this.routine = Set.copyOf(routine);
        }

        /** @return unsampled spans exported because they failed or declined unusually */
        long kept() {
            return kept.sum();
        }

        /** @return whether an unsampled span is worth exporting */
        boolean keep(ReadableSpan span) {
            String rc = span.getAttribute(RESPONSE_CODE);
            if (rc != null && !routine.contains(rc)) {
                return true;
            }
            // A gear call's span says how it ended: ERROR status exactly when rejected or failed, so
            // its status needs no copy of the span's data (most spans are gear calls).
            String outcome = span.getAttribute(OUTCOME);
            if ("ok".equals(outcome)) {
                return false;
            }
            if ("rejected".equals(outcome) || "failed".equals(outcome)) {
                return true;
            }
            return span.toSpanData().getStatus().getStatusCode() == StatusCode.ERROR;
        }

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
            batches.onStart(parentContext, span);
        }

        @Override
        public boolean isStartRequired() {
            return batches.isStartRequired();
        }

        @Override
        public void onEnd(ReadableSpan span) {
            if (span.getSpanContext().isSampled()) {
                batches.onEnd(span);
            } else if (keep(span)) {
                kept.increment();
                batches.onEnd(span);
            }
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }

        @Override
        public CompletableResultCode shutdown() {
            return batches.shutdown();
        }

        @Override
        public CompletableResultCode forceFlush() {
            return batches.forceFlush();
        }
    }
}
