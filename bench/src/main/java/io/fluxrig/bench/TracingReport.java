package io.fluxrig.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;

/**
 * Runs {@link TracingBenchmark} (tracing off; on at ratio 1, with gear calls as spans, events or
 * failures only, and at 0.1 and 0.01; on with the collector
 * down; the SDK alone) in one run with the GC profiler and {@link ProcessCpuProfiler}, and prints
 * time, CPU (the benchmark thread's, and the whole JVM's: the export thread and GC included) and
 * bytes per message, each with its ratio against tracing off. Exit 0 whatever the numbers;
 * nothing here is a test.
 */
public final class TracingReport {
    private static final String PREFIX = TracingBenchmark.class.getName() + ".run";
    private static final String[][] RUNS = {
        {"off", "off"},
        {"on", "on, ratio 1 (OTLP/HTTP to a collector in the JVM)"},
        {"events", "on, ratio 1, gear calls as events"},
        {"failures", "on, ratio 1, gear calls as failures only"},
        {"ratio0.1", "on, ratio 0.1"},
        {"ratio0.1keep", "on, ratio 0.1, keep errors (default)"},
        {"ratio0.01", "on, ratio 0.01"},
        {"ratio0.01keep", "on, ratio 0.01, keep errors (default)"},
        {"collectorDown", "on, ratio 1, collector down"},
        {"sdkOnly", "SDK only (exporter discards)"},
    };

    private TracingReport() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> s = JmhReports.settings(args, "usage: TracingReport [forks=N] [warmup=N] [warmupTime=1s]"
                + " [iterations=N] [time=500ms] [jvmArgs='-Xms1g -Xmx1g'] [json=FILE] [only=off,on,events]");
        double loadBefore = JmhReports.load();
        var options = JmhReports.options(s, PREFIX.replace(".", "\\.") + "$");
        if (s.containsKey("only")) {
            options.param("tracing", s.get("only").split(","));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, RunResult> r = new LinkedHashMap<>();
        results.forEach(x -> r.put(x.getParams().getParam("tracing"), x));
        System.out.println();
        System.out.println(ReportTable.f("==== tracing cost: one message through a 3-gear rack chain (3 spans when recorded), %s, %d cores,"
                + " load average %.2f → %.2f", System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                loadBefore, JmhReports.load()));
        ReportTable t = new ReportTable("tracing", "ns/msg", "±99.9%", "thread CPU ns/msg", "JVM CPU ns/msg", "B/msg",
                "time ÷ off", "thread CPU ÷ off", "JVM CPU ÷ off");
        RunResult off = r.get("off");
        for (String[] run : RUNS) {
            RunResult x = r.get(run[0]);
            if (x == null) {
                continue;
            }
            Result<?> p = x.getPrimaryResult();
            t.row(run[1], ReportTable.f("%.0f", p.getScore()), ReportTable.f("%.0f", p.getScoreError()),
                    ReportTable.f("%.0f", JmhReports.cpu(x)), ReportTable.f("%.0f", processCpu(x)),
                    ReportTable.f("%.0f", JmhReports.alloc(x)), ratio(JmhReports.median(x), off == null ? Double.NaN : JmhReports.median(off)),
                    ratio(JmhReports.cpu(x), off == null ? Double.NaN : JmhReports.cpu(off)),
                    ratio(processCpu(x), off == null ? Double.NaN : processCpu(off)));
        }
        t.print(System.out);
        System.out.println("(time ratio: of the medians; thread CPU: the benchmark thread; JVM CPU: every thread of the forked JVM,"
                + " the export thread, GC and JIT included, and for 'on' the in-JVM collector's reading of the requests)");
    }

    private static String ratio(double a, double b) {
        return ReportTable.f("%.2f×", a / b);
    }

    private static double processCpu(RunResult rr) {
        Result<?> x = rr.getSecondaryResults().get("process.cpu.ns.per.op");
        return x == null ? Double.NaN : x.getScore();
    }
}
