package io.fluxrig.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the JMH reports ({@link TracingReport}, {@link IsoCodecReport}) share: their
 * {@code key=value} settings, the JMH options they build from them (JMH's GC profiler and
 * {@link ProcessCpuProfiler} always on), and the figures they read out of a result. Stateless.
 */
final class JmhReports {
    private JmhReports() {
    }

    /**
     * @param args {@code key=value} arguments
     * @param usage printed when an argument is not {@code key=value} (the process then exits 2)
     * @return the settings, in the order given
     */
    static Map<String, String> settings(String[] args, String usage) {
        try {
            return KeyValueArgs.parse(args, "not key=value: ");
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return Map.of();
        }
    }

    /**
     * @param s the settings: {@code forks} (1), {@code warmup} (5) × {@code warmupTime} ({@code 1s}),
     *     {@code iterations} (8) × {@code time} ({@code 500ms}), {@code jvmArgs} ({@code -Xms1g -Xmx1g}),
     *     {@code json} (JMH's JSON results, none by default)
     * @param include the JMH include regex
     * @return the options, with the GC and process-CPU profilers
     */
    static ChainedOptionsBuilder options(Map<String, String> s, String include) {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(include)
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
        return o;
    }

    /** @return a JMH time: {@code 500ms}, {@code 1s}, or a bare number of seconds */
    static TimeValue time(String text) {
        return TimeValue.fromString(text.chars().allMatch(Character::isDigit) ? text + "s" : text);
    }

    /** @return the system load average (1 minute) */
    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** @return the median of the measured iterations' scores */
    static double median(RunResult rr) {
        return rr.getPrimaryResult().getStatistics().getPercentile(50.0);
    }

    /** @return process CPU ns per operation ({@link ProcessCpuProfiler}), NaN without it */
    static double cpu(RunResult rr) {
        Result<?> r = rr.getSecondaryResults().get("cpu.ns.per.op");
        return r == null ? Double.NaN : r.getScore();
    }

    /** @return bytes allocated per operation (JMH's GC profiler), NaN without it */
    static double alloc(RunResult rr) {
        Result<?> norm = rr.getSecondaryResults().get("gc.alloc.rate.norm");
        if (norm == null) {
            norm = rr.getSecondaryResults().get("\u00b7gc.alloc.rate.norm");
        }
        return norm == null ? Double.NaN : norm.getScore();
    }
}
