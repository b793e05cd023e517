package io.fluxrig.rack.telemetry;

import io.fluxrig.telemetry.MessageSpans;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective telemetry settings: each value from the configuration {@code fluxrig.telemetry}
 * when it sets it, else from its standard OpenTelemetry environment variable, else the default.
 * Immutable; {@link #toString()} never shows headers (they may carry credentials).
 *
 * @param enabled whether spans are recorded and exported
 * @param tracesEndpoint the full OTLP/HTTP traces URL ({@code .../v1/traces})
 * @param ratio the sampling ratio of traces started in this rack, 0..1
 * @param queueSize spans that may wait for export
 * @param batchSize most spans in one export request; a larger configured value is taken as {@code queueSize}
 * @param exportDelayMs how long a span may wait before its batch is exported when the batch is
 *     not full yet
 * @param exportTimeoutMs longest wait for one export
 * @param serviceName resource attribute {@code service.name}
 * @param headers extra HTTP headers for the collector ({@code OTEL_EXPORTER_OTLP_HEADERS})
 * @param metrics whether metrics are collected (Prometheus endpoint; OTLP too when enabled)
 * @param metricsEndpoint the full OTLP/HTTP metrics URL ({@code .../v1/metrics})
 * @param metricsIntervalMs how often metrics are exported over OTLP
 * @param tokenFile the Prometheus endpoint's bearer token file, or null for the rack's default
 * @param keepErrors with a ratio below 1, export unsampled spans that failed or declined unusually
 *     ({@link KeepErrorsSampling})
 * @param routineCodes the response codes a span is not kept for by itself
 * @param gearCalls how a gear call is recorded: {@code span} (its own span), {@code event} (an
 *     event on the span it runs in) or {@code failures} (a span only when it fails or declines
 *     unusually), see {@link io.fluxrig.telemetry.MessageSpans#GEAR_CALLS}
 * @param exemplars which measurements of the rack's histograms keep an exemplar (the trace and
 *     span they were taken in): {@code always_off}, {@code trace_based} (those taken inside a
 *     sampled span) or {@code always_on}, OpenTelemetry's names
 */
record TelemetrySettings(boolean enabled, String tracesEndpoint, double ratio, int queueSize, int batchSize, int exportDelayMs,
        int exportTimeoutMs,
        String serviceName, Map<String, String> headers, boolean metrics, String metricsEndpoint, int metricsIntervalMs,
        String tokenFile, boolean keepErrors, java.util.Set<String> routineCodes, String gearCalls,
        String exemplars) {

    static final String DEFAULT_ENDPOINT = "http://localhost:4318";
    /*
     * Larger than the SDK's defaults (2048, 512): at a demo rack's 2,000 spans a second, batches of 512
     * meant four export requests a second, and each request's fixed work showed on the export
     * thread; batches of 2048 at least once a second cost that thread about a third less
     * (bench/README.md, tracing cost). The queue holds four batches, so one slow request drops
     * nothing; a collector that is down costs at most the queue.
     */
    static final int DEFAULT_QUEUE = 8192;
    static final int DEFAULT_BATCH = 2048;
    static final int DEFAULT_DELAY_MS = 1000;
    /** Exemplar filters by their OpenTelemetry names ({@code OTEL_METRICS_EXEMPLAR_FILTER}). */
    static final java.util.List<String> EXEMPLAR_FILTERS = java.util.List.of("always_off", "trace_based", "always_on");
    /**
     * Off unless asked for: with every transaction sampled, the trace-based filter takes an
     * exemplar at each gear's duration measurement on the message path (bench/README.md).
     */
    static final String DEFAULT_EXEMPLARS = "always_off";

    /**
     * @param config the configuration's properties (may be empty)
     * @param env the environment
     * @throws IllegalArgumentException naming the attribute or variable when a value is invalid
     */
    static TelemetrySettings from(Map<String, ?> config, Map<String, String> env) {
        return from(config, env, "fluxrig-rack");
    }

    /** @param defaultService the {@code service.name} when neither the configuration nor {@code OTEL_SERVICE_NAME} sets one */
    static TelemetrySettings from(Map<String, ?> config, Map<String, String> env, String defaultService) {
        String tracesEnv = blankToNull(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        String baseEnv = blankToNull(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        String endpoint;
        String source;
        if (config.get("endpoint") != null && !config.get("endpoint").toString().isBlank()) {
            endpoint = traces(config.get("endpoint").toString().trim());
            source = "endpoint";
        } else if (tracesEnv != null) {
            endpoint = tracesEnv;
            source = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
        } else {
            endpoint = traces(baseEnv != null ? baseEnv : DEFAULT_ENDPOINT);
            source = "OTEL_EXPORTER_OTLP_ENDPOINT";
        }
        checkUrl(source, endpoint);
        boolean enabled;
        if (config.get("enabled") != null) {
            enabled = Boolean.parseBoolean(config.get("enabled").toString());
        } else {
            boolean disabled = "true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))
                    || "none".equalsIgnoreCase(env.get("OTEL_TRACES_EXPORTER"));
            enabled = !disabled && (tracesEnv != null || baseEnv != null);
        }
        double ratio = number(config, "sampler.ratio", env, "OTEL_TRACES_SAMPLER_ARG", 1.0);
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("sampler.ratio: " + ratio + " is not between 0 and 1");
        }
        int queue = (int) number(config, "queue.size", env, "OTEL_BSP_MAX_QUEUE_SIZE", DEFAULT_QUEUE);
        if (queue < 1) {
            throw new IllegalArgumentException("queue.size: " + queue + " must be at least 1");
        }
        // A batch larger than the queue is taken as the queue: the console's form saves the default
        // batch size with every edit, so a smaller queue set there must not make the configuration invalid.
        int batch = Math.min(queue, (int) number(config, "export.batch.size", env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", DEFAULT_BATCH));
        if (batch < 1) {
            throw new IllegalArgumentException("export.batch.size: " + batch + " must be at least 1");
        }
        int delay = (int) number(config, "export.delay.ms", env, "OTEL_BSP_SCHEDULE_DELAY", DEFAULT_DELAY_MS);
        if (delay < 1) {
            throw new IllegalArgumentException("export.delay.ms: " + delay + " must be at least 1");
        }
        int timeout = (int) number(config, "export.timeout.ms", env, "OTEL_EXPORTER_OTLP_TIMEOUT", 10_000);
        if (timeout < 1) {
            throw new IllegalArgumentException("export.timeout.ms: " + timeout + " must be at least 1");
        }
        String service = config.get("service.name") != null && !config.get("service.name").toString().isBlank()
                ? config.get("service.name").toString().trim()
                : env.getOrDefault("OTEL_SERVICE_NAME", defaultService);
        String metricsEnv = blankToNull(env.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));
        String metricsEndpoint = source.equals("endpoint") ? signal(config.get("endpoint").toString().trim(), "metrics")
                : metricsEnv != null ? metricsEnv : signal(baseEnv != null ? baseEnv : DEFAULT_ENDPOINT, "metrics");
        boolean metrics = config.get("metrics.enabled") != null ? Boolean.parseBoolean(config.get("metrics.enabled").toString())
                : true;
        int interval = (int) number(config, "metrics.interval.ms", env, "OTEL_METRIC_EXPORT_INTERVAL", 60_000);
        if (interval < 100) {
            throw new IllegalArgumentException("metrics.interval.ms: " + interval + " must be at least 100");
        }
        Object token = config.get("metrics.token.file");
        boolean keep = config.get("sampler.keep.errors") == null || Boolean.parseBoolean(config.get("sampler.keep.errors").toString());
        Object codes = config.get("sampler.routine.codes");
        java.util.Set<String> routine = new java.util.LinkedHashSet<>();
        for (String c : (codes == null ? "00,05,51" : codes.toString()).split(",")) {
            if (!c.isBlank()) {
                if (!c.strip().matches("[0-9A-Za-z]{2,3}")) {
                    throw new IllegalArgumentException("sampler.routine.codes: '" + c.strip() + "' is not a response code");
                }
                routine.add(c.strip());
            }
        }
        Object calls = config.get("trace.gear.calls");
        String gearCalls = calls == null || calls.toString().isBlank() ? MessageSpans.GEAR_CALLS_SPAN : calls.toString().strip();
        if (!List.of(MessageSpans.GEAR_CALLS_SPAN, MessageSpans.GEAR_CALLS_EVENT, MessageSpans.GEAR_CALLS_FAILURES).contains(gearCalls)) {
            throw new IllegalArgumentException("trace.gear.calls: '" + gearCalls + "' is not one of " + MessageSpans.GEAR_CALLS_SPAN
                    + ", " + MessageSpans.GEAR_CALLS_EVENT + ", " + MessageSpans.GEAR_CALLS_FAILURES);
        }
        Object filter = config.get("metrics.exemplars");
        String exemplarsFrom = "metrics.exemplars";
        if (filter == null || filter.toString().isBlank()) {
            filter = blankToNull(env.get("OTEL_METRICS_EXEMPLAR_FILTER"));
            exemplarsFrom = "OTEL_METRICS_EXEMPLAR_FILTER";
        }
        String exemplars = filter == null ? DEFAULT_EXEMPLARS : filter.toString().strip().toLowerCase(java.util.Locale.ROOT);
        if (!EXEMPLAR_FILTERS.contains(exemplars)) {
            throw new IllegalArgumentException(exemplarsFrom + ": '" + filter.toString().strip() + "' is not one of "
                    + String.join(", ", EXEMPLAR_FILTERS));
        }
        return new TelemetrySettings(enabled, endpoint, ratio, queue, batch, delay, timeout, service,
                headers(env.get("OTEL_EXPORTER_OTLP_HEADERS")), metrics, metricsEndpoint, interval,
                token == null || token.toString().isBlank() ? null : token.toString().trim(), keep, java.util.Set.copyOf(routine),
                gearCalls, exemplars);
    }

    private static String traces(String base) {
        return signal(base, "traces");
    }

    /** {@code <base>/v1/<signal>}, or {@code base} itself when it already names that signal's path. */
    private static String signal(String base, String signal) {
        String path = "/v1/" + signal;
        if (base.endsWith(path)) {
            return base;
        }
        if (base.endsWith("/v1/traces") || base.endsWith("/v1/metrics")) {
            base = base.substring(0, base.lastIndexOf("/v1/"));
        }
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    private static void checkUrl(String source, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(source + ": '" + url + "' is not an http(s) URL with a host");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException(source + ": credentials do not belong in the URL; "
                    + "use OTEL_EXPORTER_OTLP_HEADERS");
        }
    }

    private static double number(Map<String, ?> config, String key, Map<String, String> env, String var, double dflt) {
        Object v = config.get(key);
        String from = key;
        if (v == null || v.toString().isBlank()) {
            v = blankToNull(env.get(var));
            from = var;
        }
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(from + ": '" + v + "' is not a number");
        }
    }

    /** {@code key1=value1,key2=value2}, values URL-decoded as the OTel specification says. */
    private static Map<String, String> headers(String spec) {
        Map<String, String> h = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return Map.of();
        }
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_HEADERS: an entry is not key=value");
            }
            h.put(pair.substring(0, eq).trim(),
                    java.net.URLDecoder.decode(pair.substring(eq + 1).trim(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return Map.copyOf(h);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return (enabled ? "on" : "off") + ", endpoint " + tracesEndpoint + ", sampling parent-based ratio " + ratio
                + (keepErrors && ratio < 1 ? " keeping errors and declines other than " + String.join("/", new java.util.TreeSet<>(routineCodes)) : "")
                + (gearCalls.equals(MessageSpans.GEAR_CALLS_FAILURES) ? ", gear calls as spans only when they fail" : ", gear calls as " + gearCalls + "s")
                + ", queue " + queueSize + ", batches of up to " + batchSize + " every "
                + exportDelayMs + " ms, export timeout " + exportTimeoutMs + " ms, service " + serviceName
                + (headers.isEmpty() ? "" : ", headers " + headers.keySet())
                + (metrics ? ", metrics on" + (exemplars.equals(DEFAULT_EXEMPLARS) ? "" : " with exemplars " + exemplars)
                        + (enabled ? " (OTLP every " + metricsIntervalMs + " ms to " + metricsEndpoint + ")" : "")
                        : ", metrics off");
    }
}
