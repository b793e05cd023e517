package io.fluxrig.bench.fault;

import io.fluxrig.bench.fault.TerminalFleet.Fate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares what the terminals sent with what they received and with what the issuer decided, for
 * one load. The definitions:
 *
 * <ul>
 *   <li><b>sent</b>: written whole on an open connection; <b>not sent</b>: due while the terminal
 *       had no connection (its edge was down) or its write failed: the switch never had it, and it
 *       is never counted as lost;
 *   <li><b>answered</b>: an answer with the request's own fields within the terminal's timeout, by
 *       response code; 96 is the edge's decline when no decision came within its deadline;
 *   <li><b>lost</b>: sent (acknowledged to the terminal side: the terminal holds it as submitted)
 *       but never answered, split by cause: <b>cut</b> (its connection closed before an answer: the
 *       edge holding it died; the switch cannot answer on a connection that is gone) and the rest
 *       (timed out on a live connection, no answer ever); of the lost, how many the issuer decided
 *       (the decision was made, the answer had nowhere to go);
 *   <li><b>late</b>: answered only after the terminal's timeout; <b>duplicated</b>: requests
 *       answered more than once; <b>mismatched</b>: answers with another request's fields, plus
 *       frames that paired with no request;
 *   <li><b>decided twice</b>: requests of this load the issuer decided more than once (allowed: an
 *       at-least-once wire redelivers what a core took but had not acknowledged), and of them how
 *       many the terminal got exactly one answer to (the edge passed on only the first decision).
 * </ul>
 *
 * Pure; the tally is immutable.
 */
final class FaultChecker {
    private FaultChecker() {
    }

    /**
     * What one load came to.
     *
     * @param requests every request due
     * @param sent written whole on an open connection
     * @param notSent due while the terminal had no connection, or its write failed
     * @param answered answered within the terminal's timeout with the request's own fields
     * @param byCode the answered, by response code
     * @param lost sent and never answered
     * @param lostCut of the lost: on a connection that closed before an answer
     * @param lostDecided of the lost: decided by the issuer (at least once)
     * @param late answered after the terminal's timeout
     * @param duplicated requests answered more than once
     * @param mismatched answers with another request's fields, and frames that paired with no request
     * @param decidedTwice requests of this load decided more than once by the issuer
     * @param decidedTwiceAnsweredOnce of them, answered exactly once at the terminal
     * @param decidedTwiceUnanswered of them, never answered at the terminal (lost, cut, or not sent)
     */
    record Tally(long requests, long sent, long notSent, long answered, Map<String, Long> byCode, long lost, long lostCut,
            long lostDecided, long late, long duplicated, long mismatched, long decidedTwice, long decidedTwiceAnsweredOnce,
            long decidedTwiceUnanswered) {
        Tally {
            byCode = Map.copyOf(byCode);
        }

        /** @return answers with response code {@code code} */
        long code(String code) {
            return byCode.getOrDefault(code, 0L);
        }

        /** @return the sum of two tallies (a family's total over its seeds) */
        Tally plus(Tally t) {
            Map<String, Long> codes = new TreeMap<>(byCode);
            t.byCode.forEach((k, v) -> codes.merge(k, v, Long::sum));
            return new Tally(requests + t.requests, sent + t.sent, notSent + t.notSent, answered + t.answered, codes, lost + t.lost,
                    lostCut + t.lostCut, lostDecided + t.lostDecided, late + t.late, duplicated + t.duplicated, mismatched + t.mismatched,
                    decidedTwice + t.decidedTwice, decidedTwiceAnsweredOnce + t.decidedTwiceAnsweredOnce,
                    decidedTwiceUnanswered + t.decidedTwiceUnanswered);
        }

        static final Tally ZERO = new Tally(0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * @param requests the terminals' requests ({@link TerminalFleet.Outcome#requests})
     * @param strayFrames frames that paired with no request
     * @param repeated the issuer's requests decided more than once during this load (key → times),
     *     keys of other loads included (they are left out)
     * @param decidedLost how often the issuer decided each lost request (key → times; a key not
     *     there counts as not decided)
     * @return the tally
     */
    static Tally tally(List<TerminalFleet.Request> requests, long strayFrames, Map<String, Integer> repeated, Map<String, Integer> decidedLost) {
        Map<String, Long> codes = new TreeMap<>();
        Map<String, TerminalFleet.Request> byKey = new HashMap<>();
        long notSent = 0;
        long answered = 0;
        long lost = 0;
        long cut = 0;
        long lostDecided = 0;
        long late = 0;
        long duplicated = 0;
        long mismatched = strayFrames;
        for (TerminalFleet.Request r : requests) {
            byKey.put(r.key(), r);
            if (r.answers() > 1) {
                duplicated++;
            }
            switch (r.fate()) {
                case NOT_SENT -> notSent++;
                case ANSWERED -> {
                    answered++;
                    codes.merge(r.code(), 1L, Long::sum);
                }
                case MISMATCHED -> mismatched++;
                case LATE -> late++;
                case TIMED_OUT, CUT -> {
                    lost++;
                    if (r.fate() == Fate.CUT) {
                        cut++;
                    }
                    if (decidedLost.getOrDefault(r.key(), 0) > 0) {
                        lostDecided++;
                    }
                }
                default -> throw new IllegalStateException("a request without a fate: " + r);
            }
        }
        long twice = 0;
        long twiceOnce = 0;
        long twiceUnanswered = 0;
        for (Map.Entry<String, Integer> e : repeated.entrySet()) {
            TerminalFleet.Request r = byKey.get(e.getKey());
            if (r == null || e.getValue() < 2) {
                continue;
            }
            twice++;
            if (r.answers() == 1) {
                twiceOnce++;
            } else if (r.answers() == 0) {
                twiceUnanswered++;
            }
        }
        return new Tally(requests.size(), requests.size() - notSent, notSent, answered, codes, lost, cut, lostDecided, late, duplicated,
                mismatched, twice, twiceOnce, twiceUnanswered);
    }
}
