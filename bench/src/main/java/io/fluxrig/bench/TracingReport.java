package io.fluxrig.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TracingBenchmark} (tracing off, on, on with the collector down) with the GC profiler
 * and {@link ProcessCpuProfiler} and prints time, process CPU and bytes per message and the ratios
 * against tracing off. Exit 0 whatever the numbers; nothing here is a test.
 */
public final class TracingReport {
    private static final String PREFIX = TracingBenchmark.class.getName() + ".run";

    private TracingReport() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.err.println("usage: TracingReport [forks=N] [warmup=N] [warmupTime=1s] [iterations=N] [time=500ms]"
                        + " [jvmArgs='-Xms1g -Xmx1g'] [json=FILE]");
                System.exit(2);
            }
            s.put(a.substring(0, eq), a.substring(eq + 1));
        }
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(PREFIX.replace(".", "\\.") + "$")
                .forks(Integer.parseInt(s.getOrDefault("forks", "1")))
                .warmupIterations(Integer.parseInt(s.getOrDefault("warmup", "5")))
                .warmupTime(time(s.getOrDefault("warmupTime", "1s")))
                .measurementIterations(Integer.parseInt(s.getOrDefault("iterations", "8")))
                .measurementTime(time(s.getOrDefault("time", "500ms")))
                .jvmArgs(s.getOrDefault("jvmArgs", "-Xms1g -Xmx1g").trim().split("\\s+"))
                .addProfiler("gc")
                .addProfiler(ProcessCpuProfiler.class);
        if (s.containsKey("json")) {
            o.result(s.get("json")).resultFormat(ResultFormatType.JSON);
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        Map<String, RunResult> r = new LinkedHashMap<>();
        results.forEach(x -> r.put(x.getParams().getParam("tracing"), x));
        System.out.println();
        System.out.printf(Locale.ROOT, "==== tracing cost: one message through a 3-gear rack chain (3 spans when on), %s, %d cores%n",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-14s %10s %10s %12s %10s %12s %12s%n", "tracing", "ns/msg", "±99.9%", "CPU ns/msg", "B/msg",
                "time ÷ off", "CPU ÷ off");
        RunResult off = r.get("off");
        for (String t : new String[] {"off", "sdkOnly", "on", "collectorDown"}) {
            RunResult x = r.get(t);
            if (x == null) {
                continue;
            }
            Result<?> p = x.getPrimaryResult();
            System.out.printf(Locale.ROOT, "%-14s %10.0f %10.0f %12.0f %10.0f %11.2f× %11.2f×%n", t, p.getScore(),
                    p.getScoreError(), cpu(x), alloc(x), off == null ? Double.NaN : median(x) / median(off),
                    off == null ? Double.NaN : cpu(x) / cpu(off));
        }
        System.out.println("(time ratio: of the medians; CPU: process CPU of all threads per message, export thread included)");
    }

    private static TimeValue time(String text) {
        return TimeValue.fromString(text.chars().allMatch(Character::isDigit) ? text + "s" : text);
    }

    private static double median(RunResult rr) {
        return rr.getPrimaryResult().getStatistics().getPercentile(50.0);
    }

    private static double cpu(RunResult rr) {
        Result<?> x = rr.getSecondaryResults().get("cpu.ns.per.op");
        return x == null ? Double.NaN : x.getScore();
    }

    private static double alloc(RunResult rr) {
        Result<?> norm = rr.getSecondaryResults().get("gc.alloc.rate.norm");
        if (norm == null) {
            norm = rr.getSecondaryResults().get("\u00b7gc.alloc.rate.norm");
        }
        return norm == null ? Double.NaN : norm.getScore();
    }
}
