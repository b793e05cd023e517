package io.fluxrig.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;

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
        new IsoCodecReport().run(JmhReports.settings(args, "usage: IsoCodecReport [forks=N] [warmup=N] [warmupTime=1s]"
                + " [iterations=N] [time=500ms] [include=REGEX] [jvmArgs='-Xms1g -Xmx1g'] [json=FILE]"));
    }

    private void run(Map<String, String> s) throws Exception {
        double loadBefore = JmhReports.load();
        Collection<RunResult> results = new Runner(JmhReports.options(s, s.getOrDefault("include", PREFIX.replace(".", "\\.")))
                .build()).run();
        Map<String, RunResult> r = new LinkedHashMap<>();
        results.forEach(x -> r.put(x.getParams().getBenchmark().substring(PREFIX.length()), x));

        out.println();
        out.println(ReportTable.f("==== ISO 8583 codec: fluxrig against jPOS 2.1.10, %s %s, %d cores, load average %.2f → %.2f",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(), loadBefore, JmhReports.load()));
        out.println("Sample: iso87ascii 0100, 25 fields, " + IsoSample.bytes().length + " bytes, DE 55 = 195 bytes of EMV TLV."
                + " One run, one machine: compare numbers within it only.");
        ReportTable codecs = new ReportTable("op", "codec", "msgs/s", "±99.9%", "median", "B/msg", "thread cpu ns", "").left(1, 7);
        for (String op : OPS) {
            for (Map.Entry<String, String> c : CODECS.entrySet()) {
                RunResult x = r.get(op + c.getKey());
                if (x != null) {
                    codecs.row(op, c.getValue(), throughput(x), ReportTable.f("%,.0f", x.getPrimaryResult().getScoreError() * 1e6),
                            ReportTable.f("%,.0f", JmhReports.median(x) * 1e6), ReportTable.f("%.0f", JmhReports.alloc(x)),
                            ReportTable.f("%,.0f", JmhReports.cpu(x)), "");
                }
            }
        }
        RunResult info = r.get("decodeToFluxMsgFluxrig");
        if (info != null) {
            codecs.row("decode", "fluxrig, into a fluxMsg", throughput(info),
                    ReportTable.f("%,.0f", info.getPrimaryResult().getScoreError() * 1e6), ReportTable.f("%,.0f", JmhReports.median(info) * 1e6),
                    ReportTable.f("%.0f", JmhReports.alloc(info)), ReportTable.f("%,.0f", JmhReports.cpu(info)),
                    "(info: decode + IsoFluxMapping.toFlux)");
        }
        codecs.print(out);
        out.println();
        out.println("-- fluxrig ÷ jPOS: throughput (wall clock: medians, then means; goal ≥ 2.00×), throughput by CPU time"
                + " (jPOS ÷ fluxrig benchmark-thread CPU ns per message: the load-insensitive one), allocation per message (goal < 1.00×)");
        ReportTable ratios = new ReportTable("op", "÷ jPOS", "throughput (median)", "(mean)", "", "by CPU", "", "allocation", "")
                .left(1, 4, 6, 8);
        for (String op : OPS) {
            RunResult ours = r.get(op + "Fluxrig");
            for (String base : new String[] {"Jpos87A", "JposGeneric"}) {
                RunResult theirs = r.get(op + base);
                if (ours == null || theirs == null) {
                    continue;
                }
                double med = JmhReports.median(ours) / JmhReports.median(theirs);
                double mean = ours.getPrimaryResult().getScore() / theirs.getPrimaryResult().getScore();
                double mem = JmhReports.alloc(ours) / JmhReports.alloc(theirs);
                double byCpu = JmhReports.cpu(theirs) / JmhReports.cpu(ours);
                ratios.row(op, CODECS.get(base), ReportTable.f("%.2f×", med), ReportTable.f("%.2f×", mean), goal(med >= 2),
                        ReportTable.f("%.2f×", byCpu), goal(byCpu >= 2), ReportTable.f("%.2f×", mem), goal(mem < 1));
            }
        }
        ratios.print(out);
    }

    private static String throughput(RunResult x) {
        return ReportTable.f("%,.0f", x.getPrimaryResult().getScore() * 1e6);
    }

    private static String goal(boolean met) {
        return met ? "goal met" : "goal NOT met";
    }
}
