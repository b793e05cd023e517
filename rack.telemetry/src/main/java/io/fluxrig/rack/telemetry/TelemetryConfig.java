package io.fluxrig.rack.telemetry;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration PID {@value TelemetryComponent#PID}: the Web Console shows it as a form. An
 * attribute left out of the configuration falls back to its standard {@code OTEL_*} environment
 * variable, then to the default below ({@link TelemetrySettings} says which variable).
 */
@ObjectClassDefinition(name = "fluxrig telemetry",
        description = "OpenTelemetry traces of this rack, exported over OTLP/HTTP (protobuf). Attributes left unset "
                + "fall back to the standard OTEL_* environment variables.")
public @interface TelemetryConfig {

    @AttributeDefinition(name = "Enabled", description = "Record spans and export spans and metrics over OTLP. Unset: on when "
            + "OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set and OTEL_SDK_DISABLED is not true.")
    boolean enabled() default false;

    @AttributeDefinition(name = "OTLP endpoint", description = "Base URL of the collector's OTLP/HTTP receiver "
            + "(spans go to <endpoint>/v1/traces), e.g. http://collector:4318. Unset: OTEL_EXPORTER_OTLP_ENDPOINT, "
            + "else http://localhost:4318. Never put credentials in it: OTEL_EXPORTER_OTLP_HEADERS carries those.")
    String endpoint() default "http://localhost:4318";

    @AttributeDefinition(name = "Sampling ratio", description = "Parent-based: a trace started here is kept with "
            + "this probability (0..1); a message arriving with a trace follows its sampled flag. Unset: "
            + "OTEL_TRACES_SAMPLER_ARG, else 1.0.")
    double sampler_ratio() default 1.0;

    @AttributeDefinition(name = "Keep errors and declines", description = "With a ratio below 1: traces left out are "
            + "still recorded, and a span among them is exported when its status is ERROR or it carries a response code "
            + "other than the routine codes; without a tail, so such a span usually arrives without the rest of its trace. "
            + "Off: plain parent-based ratio sampling.")
    boolean sampler_keep_errors() default true;

    @AttributeDefinition(name = "Routine response codes", description = "Comma-separated ISO 8583 response codes a span is "
            + "not kept for by itself (approved, do not honour, insufficient funds).")
    String sampler_routine_codes() default "00,05,51";

    @AttributeDefinition(name = "Gear calls", description = "How a gear call shows in a trace. span: a span of its own "
            + "(child of the one before; gear type and instance, port, message id, outcome, MTI, response code; the rack is "
            + "the spans' resource). event: an event with the call's port, outcome and duration on the span it runs in "
            + "(the source's, a wire delivery's, the HTTP call's), and a span only when none is current; a failed call "
            + "marks that span failed. Fewer spans per transaction and less to export; end to end it measured no "
            + "cheaper than spans (bench/README.md, tracing cost). failures: a span only for a call that fails or is "
            + "rejected (made when it ends, with its start time) or whose message carries a response code that is not "
            + "routine; other calls run inside the span their message carries and leave none.",
            options = {@Option(label = "a span each", value = "span"), @Option(label = "events on the current span", value = "event"),
                    @Option(label = "a span only when the call fails", value = "failures")})
    String trace_gear_calls() default "span";

    @AttributeDefinition(name = "Export queue size", description = "Spans waiting for export; when full, new spans "
            + "are dropped and counted, processing never waits. Unset: OTEL_BSP_MAX_QUEUE_SIZE, else 8192.")
    int queue_size() default 8192;

    @AttributeDefinition(name = "Export batch size", description = "Most spans in one export request; a full batch "
            + "goes out at once; a value above the queue size is taken as the queue size. "
            + "Unset: OTEL_BSP_MAX_EXPORT_BATCH_SIZE, else 2048.")
    int export_batch_size() default 2048;

    @AttributeDefinition(name = "Export delay (ms)", description = "Longest wait of an ended span before its batch is "
            + "exported when the batch is not full. Longer: fewer, larger requests (less CPU per span), spans reach the "
            + "collector later. Unset: OTEL_BSP_SCHEDULE_DELAY, else 1000.")
    int export_delay_ms() default 1000;

    @AttributeDefinition(name = "Export timeout (ms)", description = "Longest wait for the collector per batch. "
            + "Unset: OTEL_EXPORTER_OTLP_TIMEOUT, else 10000.")
    int export_timeout_ms() default 10_000;

    @AttributeDefinition(name = "Metrics", description = "Collect the rack's metrics: served in the Prometheus text "
            + "format at /metrics on the rack's HTTP server (bearer token from the token file), and sent over OTLP to "
            + "<endpoint>/v1/metrics while export is enabled.")
    boolean metrics_enabled() default true;

    @AttributeDefinition(name = "Metric exemplars", description = "Which measurements of the rack's histograms keep an "
            + "exemplar, the trace and span they were taken in, exported with the metrics: none; those taken inside a sampled "
            + "span; all. Each one costs the message's thread a little, at every gear call when every trace is sampled. "
            + "Unset: OTEL_METRICS_EXEMPLAR_FILTER, else always_off.",
            options = {@Option(label = "none", value = "always_off"), @Option(label = "inside sampled spans", value = "trace_based"),
                    @Option(label = "all", value = "always_on")})
    String metrics_exemplars() default "always_off";

    @AttributeDefinition(name = "Metrics export interval (ms)", description = "How often metrics go out over OTLP. "
            + "Unset: OTEL_METRIC_EXPORT_INTERVAL, else 60000.")
    int metrics_interval_ms() default 60_000;

    @AttributeDefinition(name = "Metrics token file", description = "File holding the bearer token a Prometheus scrape "
            + "must send (Authorization: Bearer <token>; Prometheus: bearer_token_file). Created with a random token, "
            + "mode 0600, when missing. Unset: <rack data>/metrics.token.")
    String metrics_token_file() default "";

    @AttributeDefinition(name = "Service name", description = "Resource attribute service.name. Unset: "
            + "OTEL_SERVICE_NAME, else fluxrig-rack. service.instance.id is always the rack name.")
    String service_name() default "fluxrig-rack";

    @AttributeDefinition(name = "Failed messages shown", description = "How many of the rack's last failed messages "
            + "(rejections, errors, dead letters) the live console page keeps and shows, 1 to 1000; reasons masked.")
    int live_failed_messages() default 20;
}
