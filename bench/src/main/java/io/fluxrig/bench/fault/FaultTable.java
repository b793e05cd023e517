package io.fluxrig.bench.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fault run's table in Markdown: per family one row per seed, then the family's total (counts
 * added; times as the largest; rows are kept in run order). Pure.
 */
final class FaultTable {
    /**
     * What one trial measured.
     *
     * @param trial the family, round and seed
     * @param target what was hit (a node, "all", a rack)
     * @param tally the checker's counts
     * @param reconnects terminal connections made again after one broke
     * @param requestsStored messages added to auth.requests during the load
     * @param decisionsStored messages added to the edges' reply wires during the load
     * @param electS seconds from the fault to a new stream leader (NaN: not a NATS fault)
     * @param recoveredS seconds from the fault until everything hit was back (nodes current, rack ready)
     * @param streamAfter the auth.requests stream's replicas afterwards
     * @param loadAvg the 1-minute load average before → after
     */
    record Row(FaultSchedule.Trial trial, String target, FaultChecker.Tally tally, long reconnects, long requestsStored, long decisionsStored,
            double electS, double recoveredS, String streamAfter, String loadAvg) {
    }

    static final String HEADER = "| fault | seed | fault at s | target | requests | sent | not sent | answered | 00 / 05 / 51 | declined 96 "
            + "| lost (cut / decided) | late | duplicated | mismatched | decided twice (answered once) | requests / decisions stored "
            + "| new leader s | recovered s | reconnects | stream after | load avg |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

    private FaultTable() {
    }

    /** @return the rows grouped by family (in first-seen order), each group followed by its total when it has more than one row */
    static String render(List<Row> rows) {
        Map<String, List<Row>> byFamily = new LinkedHashMap<>();
        rows.forEach(r -> byFamily.computeIfAbsent(r.trial().family(), f -> new ArrayList<>()).add(r));
        StringBuilder b = new StringBuilder(HEADER);
        for (List<Row> family : byFamily.values()) {
            for (Row r : family) {
                b.append(line(r.trial().family(), Long.toString(r.trial().seed()), String.format(Locale.ROOT, "%.1f", r.trial().faultAtMs() / 1000.0),
                        r.target(), r.tally(), Long.toString(r.reconnects()), r.requestsStored(), r.decisionsStored(), seconds(r.electS()),
                        seconds(r.recoveredS()), r.streamAfter(), r.loadAvg()));
            }
            if (family.size() > 1) {
                FaultChecker.Tally total = FaultChecker.Tally.ZERO;
                long reconnects = 0;
                long requests = 0;
                long decisions = 0;
                double elect = Double.NaN;
                double recovered = Double.NaN;
                for (Row r : family) {
                    total = total.plus(r.tally());
                    reconnects += r.reconnects();
                    requests += r.requestsStored();
                    decisions += r.decisionsStored();
                    elect = max(elect, r.electS());
                    recovered = max(recovered, r.recoveredS());
                }
                b.append(line("**" + family.get(0).trial().family() + ": " + family.size() + " seeds**", "all", "", "", total,
                        Long.toString(reconnects), requests, decisions, Double.isNaN(elect) ? "-" : "max " + seconds(elect),
                        Double.isNaN(recovered) ? "-" : "max " + seconds(recovered), "", ""));
            }
        }
        return b.toString();
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.1f", s);
    }

    private static String line(String family, String seed, String at, String target, FaultChecker.Tally t, String reconnects, long requests,
            long decisions, String elect, String recovered, String after, String load) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %d | %d | %d / %d / %d | %d | %d (%d / %d) | %d | %d | %d | %d (%d) "
                + "| %d / %d | %s | %s | %s | %s | %s |%n", family, seed, at, target, t.requests(), t.sent(), t.notSent(), t.answered(),
                t.code("00"), t.code("05"), t.code("51"), t.code("96"), t.lost(), t.lostCut(), t.lostDecided(), t.late(), t.duplicated(),
                t.mismatched(), t.decidedTwice(), t.decidedTwiceAnsweredOnce(), requests, decisions, elect, recovered, reconnects, after, load);
    }
}
