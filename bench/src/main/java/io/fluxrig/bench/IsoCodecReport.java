package io.fluxrig.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
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
 * Runs {@link IsoCodecBenchmark} with JMH and its GC profiler and prints throughput and bytes
 * allocated per message for each codec and operation, then the ratios fluxrig ÷ jPOS against the
 * goals (throughput at least 2× each jPOS packager's, fewer bytes allocated per message). Both
 * sides of every ratio come from the same run on the same machine; the verdict uses medians of the
 * iterations, the means are printed beside them. Exit code 0 whatever the numbers.
 *
 * <p>Settings as {@code key=value}: {@code forks} (1), {@code warmup} (5) × {@code warmupTime}
 * ({@code 1s}), {@code iterations} (8) × {@code time} ({@code 500ms}), {@code include} (JMH regex,
 * default the whole class), {@code jvmArgs} ({@code -Xms1g -Xmx1g}), {@code json} (JMH JSON file).
 */
public final class IsoCodecReport {
    private static final String PREFIX = IsoCodecBenchmark.class.getName() + ".";
    private static final String[] OPS = {"decode", "encode", "modify"};
    private static final Map<String, String> CODECS = new LinkedHashMap<>();

    static {
        CODECS.put("Fluxrig", "fluxrig IsoCodec iso87ascii");
        CODECS.put("Jpos87A", "jPOS ISO87APackager");
        CODECS.put("JposGeneric", "jPOS GenericPackager (iso87ascii.xml)");
    }

    private final PrintStream out = System.out;

    public static void main(String[] args) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.err.println("usage: IsoCodecReport [forks=N] [warmup=N] [warmupTime=1s] [iterations=N] [time=500ms]"
                        + " [include=REGEX] [jvmArgs='-Xms1g -Xmx1g'] [json=FILE]");
                System.exit(2);
            }
            s.put(a.substring(0, eq), a.substring(eq + 1));
        }
        new IsoCodecReport().run(s);
    }

    private void run(Map<String, String> s) throws Exception {
        double loadBefore = load();
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(s.getOrDefault("include", PREFIX.replace(".", "\\.")))
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
        results.forEach(x -> r.put(x.getParams().getBenchmark().substring(PREFIX.length()), x));

        out.println();
        out.printf(Locale.ROOT, "==== ISO 8583 codec: fluxrig against jPOS 2.1.10, %s %s, %d cores, load average %.2f → %.2f%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(), loadBefore, load());
        out.println("Sample: iso87ascii 0100, 25 fields, " + IsoSample.bytes().length + " bytes, DE 55 = 195 bytes of EMV TLV."
                + " One run, one machine: compare numbers within it only.");
        out.printf("%-8s %-40s %12s %10s %12s %10s %12s%n", "op", "codec", "msgs/s", "±99.9%", "median", "B/msg", "thread cpu ns");
        for (String op : OPS) {
            for (Map.Entry<String, String> c : CODECS.entrySet()) {
                RunResult x = r.get(op + c.getKey());
                if (x != null) {
                    Result<?> p = x.getPrimaryResult();
                    out.printf(Locale.ROOT, "%-8s %-40s %,12.0f %,10.0f %,12.0f %10.0f %,12.0f%n", op, c.getValue(), p.getScore() * 1e6,
                            p.getScoreError() * 1e6, median(x) * 1e6, alloc(x), cpu(x));
                }
            }
        }
        RunResult info = r.get("decodeToFluxMsgFluxrig");
        if (info != null) {
            out.printf(Locale.ROOT, "%-8s %-40s %,12.0f %,10.0f %,12.0f %10.0f %,12.0f   (info: decode + IsoFluxMapping.toFlux)%n",
                    "decode", "fluxrig, into a fluxMsg", info.getPrimaryResult().getScore() * 1e6,
                    info.getPrimaryResult().getScoreError() * 1e6, median(info) * 1e6, alloc(info), cpu(info));
        }
        out.println();
        out.println("-- fluxrig ÷ jPOS: throughput (wall clock: medians, then means; goal ≥ 2.00×), throughput by CPU time"
                + " (jPOS ÷ fluxrig benchmark-thread CPU ns per message: the load-insensitive one), allocation per message (goal < 1.00×)");
        for (String op : OPS) {
            RunResult ours = r.get(op + "Fluxrig");
            for (String base : new String[] {"Jpos87A", "JposGeneric"}) {
                RunResult theirs = r.get(op + base);
                if (ours == null || theirs == null) {
                    continue;
                }
                double med = median(ours) / median(theirs);
                double mean = ours.getPrimaryResult().getScore() / theirs.getPrimaryResult().getScore();
                double mem = alloc(ours) / alloc(theirs);
                double byCpu = cpu(theirs) / cpu(ours);
                out.printf(Locale.ROOT, "%-8s ÷ %-38s throughput %5.2f× %5.2f× %-13s by CPU %5.2f× %-13s allocation %5.2f× %s%n", op,
                        CODECS.get(base), med, mean, med >= 2 ? "goal met" : "goal NOT met", byCpu,
                        byCpu >= 2 ? "goal met" : "goal NOT met", mem, mem < 1 ? "goal met" : "goal NOT met");
            }
        }
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static TimeValue time(String text) {
        return TimeValue.fromString(text.chars().allMatch(Character::isDigit) ? text + "s" : text);
    }

    private static double median(RunResult rr) {
        return rr.getPrimaryResult().getStatistics().getPercentile(50.0);
    }

    /** @return process CPU ns per operation ({@link ProcessCpuProfiler}), NaN without it */
    private static double cpu(RunResult rr) {
        Result<?> r = rr.getSecondaryResults().get("cpu.ns.per.op");
        return r == null ? Double.NaN : r.getScore();
    }

    /** @return bytes allocated per operation (JMH's GC profiler), NaN without it */
    private static double alloc(RunResult rr) {
        Result<?> norm = rr.getSecondaryResults().get("gc.alloc.rate.norm");
        if (norm == null) {
            norm = rr.getSecondaryResults().get("·gc.alloc.rate.norm");
        }
        return norm == null ? Double.NaN : norm.getScore();
    }
}
