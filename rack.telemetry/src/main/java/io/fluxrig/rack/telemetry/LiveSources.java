package io.fluxrig.rack.telemetry;

import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;

/**
 * What the live console page ({@link LiveConsolePlugin}) reads: the rack's metrics and its last
 * failed messages. A service private to this bundle (its package is not exported): registered by
 * {@link TelemetryComponent} while metrics are on in a rack, and the page's one mandatory reference,
 * so the page exists exactly while there is something to show (never in the Mixer). Both parts
 * belong to that component's SDK pipeline and are thread-safe.
 *
 * @param reader the rack's metrics
 * @param failed the rack's last failed messages
 */
record LiveSources(PrometheusMetricReader reader, FailedMessageLog failed) {
}
