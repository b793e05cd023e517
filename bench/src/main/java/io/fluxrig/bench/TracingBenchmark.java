package io.fluxrig.bench;

import com.sun.net.httpserver.HttpServer;
import io.fluxrig.cli.SampleEnvelope;
import io.fluxrig.gear.Gear;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.runtime.patch.ParsedPatch;
import io.fluxrig.rack.runtime.patch.PatchParser;
import io.fluxrig.rack.runtime.route.Router;
import io.fluxrig.rack.telemetry.BenchTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of tracing on the rack's hot path: one message (the CLI's card authorisation, without
 * a trace, as a terminal's request arrives) through the 3-gear chain of {@link RackChainBenchmark}
 * ({@code src.out -> check.in, check.out -> sink.in}) on the rack.runtime {@link Router}, with
 * <ul>
 *   <li>{@code off}: no OpenTelemetry bound (a rack with tracing off);
 *   <li>{@code on}: the rack's own SDK ({@link BenchTelemetry}: rack.telemetry's pipeline from a
 *       configuration, sampler ratio 1) exporting OTLP/HTTP protobuf to a collector stand-in in
 *       this JVM that reads each request and answers 200; 3 spans per message (the source's
 *       SERVER span, two gear calls);
 *   <li>{@code events}: as {@code on} with {@code trace.gear.calls=event}: one span per message
 *       (the source's), the two gear calls as its events;
 *   <li>{@code failures}: as {@code on} with {@code trace.gear.calls=failures}: one span per message
 *       (the source's), the two gear calls (which succeed) none;
 *   <li>{@code ratio0.1}, {@code ratio0.01}: the same with {@code sampler.ratio} 0.1 and 0.01 and
 *       {@code sampler.keep.errors=false}: a trace left out is not recorded;
 *   <li>{@code ratio0.1keep}, {@code ratio0.01keep}: ratio 0.1 / 0.01 with
 *       {@code sampler.keep.errors=true}, the rack's default: sampled traces are recorded and
 *       exported, and of the others only a failing or unusually declining call makes a span;
 *   <li>{@code collectorDown}: ratio 1 pointed at a closed port;
 *   <li>{@code sdkOnly}: ratio 1 with an exporter that discards every batch: the instrumentation
 *       and the SDK's span handling without serialisation or HTTP.
 * </ul>
 * The export runs on the SDK's own thread; {@code TracingReport} counts process CPU per message
 * (all threads), so its cost is in the CPU column, not in the time column.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class TracingBenchmark {
    private static final String PATCH = "gears: { src: source, check: transform, sink: log }\n"
            + "links: [ src.out -> check.in, check.out -> sink.in ]\n";

    @Param({"off", "sdkOnly", "on", "events", "failures", "ratio0.1", "ratio0.1keep", "ratio0.01", "ratio0.01keep", "collectorDown"})
    public String tracing;

    private FluxMsg msg;
    private Router router;
    private RackChainBenchmark.Source src;
    private RackChainBenchmark.Sink sink;
    private OpenTelemetrySdk sdk;
    private BenchTelemetry rackSdk;
    private HttpServer collector;

    @Setup
    public void setUp() throws IOException {
        msg = SampleEnvelope.cardAuthorisation().toBuilder().trace(null).build();
        ParsedPatch parsed = PatchParser.parse(PATCH);
        router = new Router("bench", 1_000, 1_000, 1_000);
        router.applyPatch(parsed.patch());
        src = new RackChainBenchmark.Source();
        sink = new RackChainBenchmark.Sink();
        router.offerGear("sink", sink, "bench");
        router.offerGear("check", new RackChainBenchmark.Check(), "bench");
        router.offerGear("src", src, "bench");
        if (!tracing.equals("off")) {
            String endpoint;
            if (!tracing.equals("collectorDown")) {
                collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                collector.createContext("/v1/traces", ex -> {
                    ex.getRequestBody().readAllBytes();
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                });
                collector.start();
                endpoint = "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces";
            } else {
                try (ServerSocket s = new ServerSocket(0)) {
                    endpoint = "http://127.0.0.1:" + s.getLocalPort() + "/v1/traces";
                }
            }
            if (tracing.equals("sdkOnly")) {
                // The rack's sampler and batch settings (TelemetryPipeline) with an exporter that discards.
                sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(1.0)))
                        .addSpanProcessor(BatchSpanProcessor.builder(new Discard()).setMaxQueueSize(2048)
                                .setMaxExportBatchSize(512).setScheduleDelay(200, TimeUnit.MILLISECONDS).build())
                        .build()).build();
                router.telemetry(sdk);
            } else {
                Map<String, Object> config = new HashMap<>();
                config.put("enabled", "true");
                config.put("endpoint", endpoint.substring(0, endpoint.length() - "/v1/traces".length()));
                config.put("metrics.enabled", "false");
                config.put("sampler.ratio", tracing.startsWith("ratio0.01") ? "0.01" : tracing.startsWith("ratio0.1") ? "0.1" : "1.0");
                config.put("sampler.keep.errors", Boolean.toString(tracing.endsWith("keep")));
                if (tracing.equals("events")) {
                    config.put("trace.gear.calls", "event");
                }
                if (tracing.equals("failures")) {
                    config.put("trace.gear.calls", "failures");
                }
                rackSdk = new BenchTelemetry(config);
                router.telemetry(rackSdk.openTelemetry(), rackSdk.serviceProperties());
            }
        }
        FluxMsg out = run();
        if (out == null || (tracing.equals("off") ? out.trace() != null : out.trace() == null)) {
            throw new IllegalStateException("chain did not deliver the message as expected (tracing " + tracing + ")");
        }
    }

    @TearDown
    public void tearDown() {
        router.close();
        if (sdk != null) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
        if (rackSdk != null) {
            rackSdk.close();
        }
        if (collector != null) {
            collector.stop(0);
        }
    }

    /** An exporter that accepts and drops every batch. */
    static final class Discard implements SpanExporter {
        @Override
        public CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    @Benchmark
    public FluxMsg run() {
        src.context.emit(Gear.PORT_OUT, msg);
        return sink.last;
    }
}
