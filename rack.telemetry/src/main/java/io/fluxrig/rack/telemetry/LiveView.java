package io.fluxrig.rack.telemetry;

import io.fluxrig.telemetry.RackFlow;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of the live console page ({@link LiveConsolePlugin}), read from the same metrics
 * Prometheus scrapes (one collection of the rack's {@link PrometheusMetricReader}), so the page
 * and {@code /metrics} never disagree. Per gear instance: messages in, out, errors, rejections,
 * buffered, the call-duration percentiles since start, and the p50/p99 to show: those of the
 * rack's recent window ({@link RackFlow#latencies()}), or those since start when the window saw no
 * call; per wire subscription: delivered,
 * redelivered, dead-lettered, in flight and the broker's pending counts; the patch's links for the
 * flow picture (from {@link io.fluxrig.telemetry.RackFlow}, not metrics). Cumulative counts only:
 * the page computes rates from two polls. Card data cannot appear: metric labels hold instance,
 * type and wire names only. Stateless; safe on any request thread.
 */
final class LiveView {
    private LiveView() {
    }

    /** @return {@link #of(PrometheusMetricReader, long, List)} without links */
    static Map<String, Object> of(PrometheusMetricReader reader, long nowMillis) {
        return of(reader, nowMillis, List.of());
    }

    /**
     * @param links the applied patch's links as the patch writes them ({@code a.out -> b.in},
     *        {@code a.out -> wire:W}, {@code wire:W -> a.in}); an entry not of that form is left out
     * @return {@code {at, gears: {instance: {...}}, wires: {"wire consumer": {...}}, links: [{from,
     *         fromPort, to, toPort}]}} where a wire end is {@code from}/{@code to} = {@code wire:NAME}
     *         with no port
     */
    static Map<String, Object> of(PrometheusMetricReader reader, long nowMillis, List<String> links) {
        return of(reader, nowMillis, links, Map.of());
    }

    /**
     * @param recent per gear instance, its processing times over the rack's recent window; an
     *        instance absent (not called in the window) shows its percentiles since start
     * @return {@link #of(PrometheusMetricReader, long, List)} where each gear row also has
     *         {@code p50_ms}, {@code p99_ms} and {@code latency_over} ({@code last 30 s} for a 30 s
     *         window, or {@code since start}); none of the three when neither has a call
     */
    static Map<String, Object> of(PrometheusMetricReader reader, long nowMillis, List<String> links,
            Map<String, RackFlow.Latency> recent) {
        Map<String, Map<String, Object>> gears = new TreeMap<>();
        Map<String, Map<String, Object>> wires = new TreeMap<>();
        for (MetricSnapshot m : reader.collect()) {
            String name = m.getMetadata().getPrometheusName();
            for (DataPointSnapshot p : m.getDataPoints()) {
                Labels l = p.getLabels();
                String gear = label(l, "fluxrig_gear_instance");
                String wire = label(l, "messaging_destination_name");
                if (name.startsWith("fluxrig_gear_") && gear != null) {
                    Map<String, Object> row = gears.computeIfAbsent(gear, k -> new LinkedHashMap<>());
                    String type = label(l, "fluxrig_gear_type");
                    if (type != null) {
                        row.put("type", type);
                    }
                    put(row, name.substring("fluxrig_gear_".length()), p);
                } else if (name.startsWith("fluxrig_wire_") && wire != null) {
                    String consumer = label(l, "messaging_consumer_group_name");
                    Map<String, Object> row = wires.computeIfAbsent(consumer == null ? wire : wire + " " + consumer, k -> new LinkedHashMap<>());
                    row.put("wire", wire);
                    if (consumer != null) {
                        row.put("consumer", consumer);
                    }
                    put(row, name.substring("fluxrig_wire_".length()), p);
                }
            }
        }
        recent.forEach((gear, l) -> {
            if (l != null && l.calls() > 0) {
                gears.computeIfAbsent(gear, k -> new LinkedHashMap<>());
            }
        });
        gears.forEach((gear, row) -> shown(row, recent.get(gear)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", nowMillis);
        out.put("gears", gears);
        out.put("wires", wires);
        List<Map<String, Object>> arrows = new ArrayList<>();
        for (String link : links) {
            Map<String, Object> a = link(link);
            if (a != null) {
                arrows.add(a);
            }
        }
        out.put("links", arrows);
        return out;
    }

    /** Puts the p50/p99 the page shows: the window's when it saw a call, else those since start. */
    private static void shown(Map<String, Object> row, RackFlow.Latency window) {
        if (window != null && window.calls() > 0) {
            row.put("p50_ms", window.p50Millis());
            row.put("p99_ms", window.p99Millis());
            row.put("latency_over", "last " + Math.round(window.windowMillis() / 1000.0) + " s");
        } else if (row.get("duration_seconds_p50_ms") != null) {
            row.put("p50_ms", row.get("duration_seconds_p50_ms"));
            row.put("p99_ms", row.get("duration_seconds_p99_ms"));
            row.put("latency_over", "since start");
        }
    }

    /** @return {@code {from, fromPort, to, toPort}} of one link, or null when it is not {@code X -> Y} */
    static Map<String, Object> link(String text) {
        int arrow = text.indexOf("->");
        if (arrow < 0) {
            return null;
        }
        Map<String, Object> a = new LinkedHashMap<>();
        if (!end(text.substring(0, arrow).strip(), "from", a) || !end(text.substring(arrow + 2).strip(), "to", a)) {
            return null;
        }
        return a;
    }

    private static boolean end(String side, String key, Map<String, Object> into) {
        if (side.startsWith("wire:") && side.length() > 5) {
            into.put(key, side);
            return true;
        }
        int dot = side.lastIndexOf('.');
        if (dot <= 0 || dot == side.length() - 1) {
            return false;
        }
        into.put(key, side.substring(0, dot));
        into.put(key + "Port", side.substring(dot + 1));
        return true;
    }

    private static void put(Map<String, Object> row, String key, DataPointSnapshot p) {
        if (p instanceof CounterSnapshot.CounterDataPointSnapshot c) {
            row.put(key, (long) c.getValue());
        } else if (p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
            row.put(key, (long) g.getValue());
        } else if (p instanceof HistogramSnapshot.HistogramDataPointSnapshot h) {
            ClassicHistogramBuckets b = h.getClassicBuckets();
            row.put(key + "_count", h.getCount());
            row.put(key + "_p50_ms", percentileMillis(b, 0.50));
            row.put(key + "_p99_ms", percentileMillis(b, 0.99));
        }
    }

    /**
     * @return the upper bound (ms) of the bucket holding the {@code q} quantile, the largest finite
     *     bound when it falls in the last (+Inf) bucket, or null without observations
     */
    static Double percentileMillis(ClassicHistogramBuckets b, double q) {
        long total = 0;
        for (int i = 0; i < b.size(); i++) {
            total += b.getCount(i);
        }
        if (total == 0) {
            return null;
        }
        double target = q * total;
        long seen = 0;
        double lastFinite = 0;
        for (int i = 0; i < b.size(); i++) {
            double bound = b.getUpperBound(i);
            if (!Double.isInfinite(bound)) {
                lastFinite = bound;
            }
            seen += b.getCount(i);
            if (seen >= target) {
                return (Double.isInfinite(bound) ? lastFinite : bound) * 1000;
            }
        }
        return lastFinite * 1000;
    }

    /** @return the label's value by its Prometheus name ({@code a_b} for {@code a.b}), or null */
    private static String label(Labels l, String prometheusName) {
        for (int i = 0; i < l.size(); i++) {
            if (prometheusName.equals(l.getPrometheusName(i))) {
                return l.getValue(i);
            }
        }
        return null;
    }
}
