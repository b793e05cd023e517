package io.fluxrig.bench;

import io.fluxrig.rack.telemetry.BenchTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSender;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What exporting a span costs the rack's JVM, by HTTP sender: the SDK's JDK {@code HttpClient}
 * sender ({@code jdk}, the baseline) against the rack's own ({@code rack}, rack.telemetry's
 * {@code OtlpHttpSender}), both behind the SDK's OTLP/HTTP exporter as a rack configures it.
 *
 * <p>One batch of demo-like spans (per transaction a SERVER span, gear spans with the rack's gear
 * attributes and a wire send span with the messaging ones, made by the real SDK) is exported again
 * and again to {@link OtlpSink} in a child process (so the collector's CPU is not counted), one
 * export every {@code pause} ms, as the batch processor exports every 200 ms: at that pace the
 * exporter's code runs cold, as in a rack, not as in a tight loop. Per round each sender exports
 * {@code exports} times, in an order that rotates per round; the JVM's CPU time per exported span
 * is taken per sender and round, and each round's {@code rack ÷ jdk} is a paired ratio. The first
 * {@code warmup} rounds are not counted. Prints medians; asserts nothing.
 *
 * <pre>java -cp benchmarks.jar io.fluxrig.bench.SpanExportCost [batch=512] [exports=20] [pause=200]
 *     [rounds=10] [warmup=3]</pre>
 */
public final class SpanExportCost {
    private static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");

    private SpanExportCost() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> s = KeyValueArgs.parse(args,
                "usage: SpanExportCost [batch=512] [exports=20] [pause=200] [rounds=10] [warmup=3]");
        int batchSize = Integer.parseInt(s.getOrDefault("batch", "512"));
        int exports = Integer.parseInt(s.getOrDefault("exports", "20"));
        long pause = Long.parseLong(s.getOrDefault("pause", "200"));
        int rounds = Integer.parseInt(s.getOrDefault("rounds", "10"));
        int warmup = Integer.parseInt(s.getOrDefault("warmup", "3"));
        List<SpanData> batch = demoSpans(batchSize);
        Path ready = Files.createTempFile("otlp-sink", ".url");
        Process sink = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), OtlpSink.class.getName(),
                "port=0", "ready=" + ready).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor();
        try {
            String url = awaitUrl(ready, sink) + "/v1/traces";
            Map<String, SpanExporter> senders = new LinkedHashMap<>();
            senders.put("jdk", OtlpHttpSpanExporter.builder().setEndpoint(url).setTimeout(Duration.ofSeconds(10)).setRetryPolicy(null)
                    .setServiceClassLoader(JdkHttpSender.class.getClassLoader()).build());
            senders.put("rack", BenchTelemetry.rackExporter(url, Duration.ofSeconds(10), timeouts));
            List<String> names = new ArrayList<>(senders.keySet());
            Map<String, List<Double>> perSpan = new LinkedHashMap<>();
            List<Double> ratios = new ArrayList<>();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            System.out.printf("span export cost: %d spans per export, %d exports per sender and round, one every %d ms,"
                    + " %d rounds (%d not counted), %d cores, load average %.2f%n", batch.size(), exports, pause, rounds, warmup,
                    Runtime.getRuntime().availableProcessors(), JmhReports.load());
            for (int round = 0; round < rounds; round++) {
                Map<String, Double> thisRound = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((i + round) % names.size());
                    SpanExporter exporter = senders.get(name);
                    long cpu = os.getProcessCpuTime();
                    int failed = 0;
                    for (int e = 0; e < exports; e++) {
                        CompletableResultCode done = exporter.export(batch).join(30, TimeUnit.SECONDS);
                        failed += done.isSuccess() ? 0 : 1;
                        Thread.sleep(pause);
                    }
                    if (failed > 0) {
                        throw new IllegalStateException(name + ": " + failed + " of " + exports + " exports failed");
                    }
                    thisRound.put(name, (os.getProcessCpuTime() - cpu) / 1000.0 / ((double) exports * batch.size()));
                }
                System.out.printf("round %2d%s: %s%n", round + 1, round < warmup ? " (warm-up)" : "", thisRound.entrySet().stream()
                        .map(e -> String.format("%s %.2f µs/span", e.getKey(), e.getValue())).toList());
                if (round >= warmup) {
                    thisRound.forEach((k, v) -> perSpan.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    ratios.add(thisRound.get("rack") / thisRound.get("jdk"));
                }
            }
            ReportTable t = new ReportTable("sender", "JVM CPU µs per exported span (median)", "min", "max");
            perSpan.forEach((k, v) -> t.row(k, ReportTable.f("%.2f", median(v)), ReportTable.f("%.2f", Collections.min(v)),
                    ReportTable.f("%.2f", Collections.max(v))));
            t.print(System.out);
            System.out.printf("rack ÷ jdk, paired per round: median %.2f× (min %.2f×, max %.2f×), load average at the end %.2f%n",
                    median(ratios), Collections.min(ratios), Collections.max(ratios), JmhReports.load());
            for (SpanExporter e : senders.values()) {
                e.shutdown().join(10, TimeUnit.SECONDS);
            }
        } finally {
            timeouts.shutdownNow();
            sink.destroy();
            Files.deleteIfExists(ready);
        }
    }

    private static String awaitUrl(Path ready, Process sink) throws Exception {
        for (int i = 0; i < 300; i++) {
            String url = Files.readString(ready).trim();
            if (!url.isEmpty()) {
                return url;
            }
            if (!sink.isAlive()) {
                throw new IllegalStateException("the OTLP sink exited with " + sink.exitValue());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the OTLP sink did not start within 30 s");
    }

    /** @return about {@code n} ended spans shaped like an edge rack's: a SERVER span, three gear spans and a send span per transaction */
    static List<SpanData> demoSpans(int n) {
        List<SpanData> spans = new ArrayList<>();
        SpanProcessor collect = new SpanProcessor() {
            @Override
            public void onStart(Context parent, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                spans.add(span.toSpanData());
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
        try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(collect).build()) {
            Tracer gears = provider.get("io.fluxrig.rack.runtime");
            Tracer wires = provider.get("io.fluxrig.wire.jetstream");
            for (int tx = 0; spans.size() < n; tx++) {
                String id = String.format("01JF%022d", tx);
                Span server = gears.spanBuilder("iso8583.server terminals").setSpanKind(SpanKind.SERVER).startSpan();
                Context parent = Context.root().with(server);
                for (String gear : new String[] {"decode", "route", "authorise"}) {
                    SpanBuilder b = gears.spanBuilder("json.map " + gear).setParent(parent)
                            .setAttribute("fluxrig.bundle", "io.fluxrig.gear.json").setAttribute("fluxrig.bundle.version", "1.0.0.SNAPSHOT")
                            .setAttribute("fluxrig.gear.type", "json.map").setAttribute("fluxrig.gear.instance", gear)
                            .setAttribute("fluxrig.gear.port", "in").setAttribute("fluxrig.message.id", id)
                            .setAttribute("iso8583.mti", "0100").setAttribute("fluxrig.outcome", "ok");
                    b.startSpan().end();
                }
                wires.spanBuilder("send auth.request").setSpanKind(SpanKind.PRODUCER).setParent(parent)
                        .setAttribute("messaging.system", "nats").setAttribute("messaging.destination.name", "auth.request")
                        .setAttribute("messaging.operation.type", "send").setAttribute("messaging.operation.name", "send")
                        .setAttribute("messaging.message.id", id).setAttribute(BODY_SIZE, 412L).startSpan().end();
                server.end();
            }
        }
        return spans;
    }

    private static double median(List<Double> v) {
        List<Double> sorted = new ArrayList<>(v);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
