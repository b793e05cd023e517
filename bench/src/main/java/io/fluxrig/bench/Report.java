package io.fluxrig.bench;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
 * Runs the benchmarks with JMH and prints a table and the ratios the project's goals are stated
 * in. Every ratio compares two numbers measured in the same run; "goal met / NOT met" is
 * information only: the exit code is 0 either way (a failed benchmark run exits 1).
 *
 * <p>Settings, as {@code key=value} arguments or {@code -Dbench.key=value} (arguments win):
 * {@code forks} (1), {@code warmup} iterations (5) of {@code warmupTime} ({@code 1s}), measurement
 * {@code iterations} (8) of {@code time} ({@code 500ms}; a bare number is seconds; both accept
 * JMH time values such as {@code 2s}), {@code include} (a JMH regex, default both
 * benchmark classes), {@code gc} (true: JMH's GC profiler, for bytes allocated per operation),
 * {@code jvmArgs} (for the forked JVMs, default {@code -Xms1g -Xmx1g}), {@code json} (a file for
 * JMH's JSON results, none by default).
 */
public final class Report {
    private static final String CODEC = FluxMsgCodecBenchmark.class.getName() + ".";
    private static final String CHAIN = RackChainBenchmark.class.getName() + ".";
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("FluxCbor", "fluxrig CBOR (deterministic)");
        LABELS.put("JacksonCbor", "Jackson CBOR, POJO");
        LABELS.put("JacksonJson", "Jackson JSON, POJO");
        LABELS.put("FluxJson", "fluxrig JSON (info)");
    }

    private final Map<String, String> settings;
    private final PrintStream out = System.out;

    private Report(Map<String, String> settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        for (String key : new String[] {"forks", "warmup", "warmupTime", "iterations", "time", "include", "gc", "jvmArgs", "json"}) {
            String v = System.getProperty("bench." + key);
            if (v != null) {
                s.put(key, v);
            }
        }
        s.putAll(JmhReports.settings(args, "usage: Report [forks=N] [warmup=N] [warmupTime=1s] [iterations=N] [time=500ms]"
                + " [include=REGEX] [gc=true|false] [jvmArgs='-Xms1g -Xmx1g'] [json=FILE]"));
        new Report(s).run();
    }

    private String get(String key, String dflt) {
        return settings.getOrDefault(key, dflt);
    }

    private void run() throws Exception {
        TimeValue warmupTime = time(get("warmupTime", "1s"));
        TimeValue iteration = time(get("time", "500ms"));
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(get("include", "io\\.fluxrig\\.bench\\.(FluxMsgCodecBenchmark|RackChainBenchmark)\\."))
                .forks(Integer.parseInt(get("forks", "1")))
                .warmupIterations(Integer.parseInt(get("warmup", "5")))
                .warmupTime(warmupTime)
                .measurementIterations(Integer.parseInt(get("iterations", "8")))
                .measurementTime(iteration)
                .jvmArgs(get("jvmArgs", "-Xms1g -Xmx1g").trim().split("\\s+"));
        if (Boolean.parseBoolean(get("gc", "true"))) {
            o.addProfiler("gc");
        }
        if (settings.containsKey("json")) {
            o.result(settings.get("json")).resultFormat(ResultFormatType.JSON);
        }
        Collection<RunResult> results = new Runner(o.build()).run();

        Map<String, RunResult> byName = new LinkedHashMap<>();
        results.forEach(r -> byName.put(r.getParams().getBenchmark(), r));
        out.println();
        out.println("==== fluxrig benchmark report, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        out.printf("JVM %s %s, %d cores, forks=%s warmup=%s×%s measurement=%s×%s, jvmArgs=%s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(), get("forks", "1"), get("warmup", "5"), warmupTime,
                get("iterations", "8"), iteration, get("jvmArgs", "-Xms1g -Xmx1g"));
        out.printf(Locale.ROOT, "1-minute load average now %.2f (the benchmark itself adds about 1; more means other"
                + " work shared the cores and the numbers are noisier)%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println("One sample on this machine: compare numbers only within one run.");
        if (byName.keySet().stream().anyMatch(k -> k.startsWith(CODEC))) {
            codecReport(byName);
        }
        if (byName.keySet().stream().anyMatch(k -> k.startsWith(CHAIN))) {
            chainReport(byName);
        }
    }

    /** @return a JMH time value; a bare number is seconds */
    private static TimeValue time(String text) {
        return TimeValue.fromString(text.chars().allMatch(Character::isDigit) ? text + "s" : text);
    }

    private void codecReport(Map<String, RunResult> r) throws Exception {
        Map<String, Integer> sizes = FluxMsgCodecBenchmark.encodedSizes();
        out.println();
        out.println("-- fluxMsg codecs: one card authorisation envelope (average time per operation)");
        out.printf("%-10s %-30s %10s %10s %10s %10s %8s%n", "operation", "codec", "ns/op", "±99.9%", "median", "B/op",
                "size B");
        for (String op : new String[] {"encode", "decode", "roundTrip"}) {
            for (Map.Entry<String, String> c : LABELS.entrySet()) {
                RunResult rr = r.get(CODEC + op + c.getKey());
                if (rr != null) {
                    Result<?> p = rr.getPrimaryResult();
                    out.printf(Locale.ROOT, "%-10s %-30s %10.0f %10.0f %10.0f %10s %8d%n", op, c.getValue(), p.getScore(),
                            p.getScoreError(), median(rr), alloc(rr), sizes.get(c.getKey()));
                }
            }
        }
        out.println();
        out.println("-- goals (time ratio = fluxrig CBOR ÷ baseline, of the medians, then of the means; size in bytes)");
        for (String op : new String[] {"encode", "decode", "roundTrip"}) {
            ratio(r, op, "JacksonCbor", 1.25, true);
            ratio(r, op, "JacksonJson", 1.0, false);
        }
        double size = (double) sizes.get("FluxCbor") / sizes.get("JacksonJson");
        out.printf(Locale.ROOT, "%-10s %-38s %6.2f× %8s goal < 1.00×  %s%n", "size", "fluxrig CBOR ÷ Jackson JSON", size, "",
                size < 1 ? "goal met" : "goal NOT met");
        out.printf(Locale.ROOT, "%-10s %-38s %6.2f× (info: fluxrig CBOR ÷ Jackson CBOR)%n", "size", "",
                (double) sizes.get("FluxCbor") / sizes.get("JacksonCbor"));
        out.printf(Locale.ROOT, "%-10s %-38s %6.2f× (info: fluxrig CBOR ÷ fluxrig JSON)%n", "size", "",
                (double) sizes.get("FluxCbor") / sizes.get("FluxJson"));
        for (String op : new String[] {"encode", "decode", "roundTrip"}) {
            RunResult a = r.get(CODEC + op + "FluxCbor");
            RunResult b = r.get(CODEC + op + "FluxJson");
            if (a != null && b != null) {
                out.printf(Locale.ROOT, "%-10s %-38s %6.2f× (info: fluxrig CBOR ÷ fluxrig JSON, time, medians)%n", op, "",
                        median(a) / median(b));
            }
        }
    }

    /**
     * Prints one goal line: fluxrig CBOR against a baseline for an operation. The verdict uses the
     * ratio of medians (robust against one iteration disturbed by other work on a shared machine);
     * the ratio of means is printed beside it, and a line where the two disagree is flagged.
     */
    private void ratio(Map<String, RunResult> r, String op, String baseline, double goal, boolean inclusive) {
        RunResult a = r.get(CODEC + op + "FluxCbor");
        RunResult b = r.get(CODEC + op + baseline);
        if (a == null || b == null) {
            return;
        }
        double median = median(a) / median(b);
        double mean = a.getPrimaryResult().getScore() / b.getPrimaryResult().getScore();
        boolean met = inclusive ? median <= goal : median < goal;
        boolean meanMet = inclusive ? mean <= goal : mean < goal;
        out.printf(Locale.ROOT, "%-10s %-38s %6.2f× %6.2f×   goal %s %.2f×  %s%s%n", op,
                "fluxrig CBOR ÷ " + LABELS.get(baseline), median, mean, inclusive ? "≤" : "<", goal,
                met ? "goal met" : "goal NOT met", met == meanMet ? "" : " (the means disagree: noisy run)");
    }

    private static double median(RunResult rr) {
        return rr.getPrimaryResult().getStatistics().getPercentile(50.0);
    }

    private void chainReport(Map<String, RunResult> r) {
        out.println();
        out.println("-- in-rack chain src → check → sink, one thread (" + RackChainBenchmark.HOPS + " hops per message)");
        out.printf("%-16s %10s %10s %10s %14s %10s%n", "variant", "ns/msg", "±99.9%", "median", "msgs/s", "B/msg");
        for (String v : new String[] {"direct", "directWithHops", "router"}) {
            RunResult rr = r.get(CHAIN + v);
            if (rr != null) {
                Result<?> p = rr.getPrimaryResult();
                out.printf(Locale.ROOT, "%-16s %10.1f %10.1f %10.1f %,14.0f %10s%n", v, p.getScore(), p.getScoreError(),
                        median(rr), 1e9 / median(rr), alloc(rr));
            }
        }
        RunResult d = r.get(CHAIN + "direct");
        RunResult h = r.get(CHAIN + "directWithHops");
        RunResult x = r.get(CHAIN + "router");
        if (d != null && x != null) {
            double direct = median(d);
            double router = median(x);
            out.printf(Locale.ROOT, "(medians) router ÷ direct calls: %.1f×; per hop: (router − direct) ÷ %d = %.1f ns%n",
                    router / direct, RackChainBenchmark.HOPS, (router - direct) / RackChainBenchmark.HOPS);
            if (h != null) {
                double hops = median(h);
                out.printf(Locale.ROOT, "  of which hop recording (FluxMsg.withHop): %.1f ns, routing itself: %.1f ns per hop%n",
                        (hops - direct) / RackChainBenchmark.HOPS, (router - hops) / RackChainBenchmark.HOPS);
            }
        }
    }

    /** @return bytes allocated per operation from the GC profiler, or "-" without it */
    private static String alloc(RunResult rr) {
        Map<String, Result> sec = rr.getSecondaryResults();
        Result<?> norm = sec.get("gc.alloc.rate.norm");
        if (norm == null) {
            norm = sec.get("·gc.alloc.rate.norm");
        }
        return norm == null ? "-" : String.format(Locale.ROOT, "%.0f", norm.getScore());
    }
}
