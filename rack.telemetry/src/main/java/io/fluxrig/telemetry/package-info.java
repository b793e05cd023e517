/**
 * What other bundles use of the rack's telemetry: {@link io.fluxrig.telemetry.TraceContexts}
 * (the W3C traceparent a fluxMsg carries, to and from an OpenTelemetry span context),
 * {@link io.fluxrig.telemetry.MessageSpans} (the span set-up shared by the gear, wire and HTTP
 * spans: parent from a message's trace, masked failure reasons, how the rack samples: an
 * unsampled call makes a span only when it must be kept, and whether a gear call is a span, an
 * event on the span it runs in, or a span only when it fails), the
 * {@link io.fluxrig.telemetry.TelemetryStatus} service (is tracing on, what was exported and
 * dropped), the {@link io.fluxrig.telemetry.RackFlow} service the rack runtime provides for the
 * live page's flow picture (its links, the gears' processing times over the recent window), and the {@link io.fluxrig.telemetry.FailedMessages} service
 * (the rack's recent failures, for the live page). The {@code io.opentelemetry.api.OpenTelemetry} service itself is registered by the
 * rack.telemetry bundle only while tracing is enabled: instrumented bundles take it through an
 * optional dynamic reference, so a rack with tracing off pays one null check per call site.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.6.0")
package io.fluxrig.telemetry;
