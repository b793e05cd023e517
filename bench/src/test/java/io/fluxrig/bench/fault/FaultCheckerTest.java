package io.fluxrig.bench.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.bench.fault.TerminalFleet.Fate;
import io.fluxrig.bench.fault.TerminalFleet.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker's definitions on hand-made outcomes: lost, cut, not sent, decided twice. */
class FaultCheckerTest {
    private static Request r(String key, Fate fate, String code, int answers) {
        return new Request(key, fate, code, answers);
    }

    @Test
    void notSentIsNeverLostAndLostSplitsByCause() {
        List<Request> rs = List.of(r("a", Fate.ANSWERED, "00", 1), r("b", Fate.ANSWERED, "96", 1), r("c", Fate.NOT_SENT, null, 0),
                r("d", Fate.CUT, null, 0), r("e", Fate.CUT, null, 0), r("f", Fate.TIMED_OUT, null, 0), r("g", Fate.LATE, "00", 1),
                r("h", Fate.MISMATCHED, "00", 1));
        FaultChecker.Tally t = FaultChecker.tally(rs, 2, Map.of(), Map.of("d", 1, "e", 0, "f", 2));
        assertEquals(8, t.requests());
        assertEquals(7, t.sent());
        assertEquals(1, t.notSent());
        assertEquals(2, t.answered());
        assertEquals(Map.of("00", 1L, "96", 1L), t.byCode());
        assertEquals(3, t.lost(), "d, e (cut) and f (timed out, never answered)");
        assertEquals(2, t.lostCut());
        assertEquals(2, t.lostDecided(), "d and f were decided: the answer had nowhere to go");
        assertEquals(1, t.late());
        assertEquals(3, t.mismatched(), "h and two stray frames");
        assertEquals(t.sent(), t.answered() + t.lost() + t.late() + 1, "every sent request has one fate");
    }

    @Test
    void decidedTwiceCountsOnlyThisLoadsRequestsAndWhetherTheTerminalGotOneAnswer() {
        List<Request> rs = List.of(r("a", Fate.ANSWERED, "00", 1), r("b", Fate.ANSWERED, "96", 2), r("c", Fate.CUT, null, 0),
                r("d", Fate.ANSWERED, "00", 1));
        FaultChecker.Tally t = FaultChecker.tally(rs, 0, Map.of("a", 2, "b", 3, "c", 2, "x-of-another-load", 2), Map.of());
        assertEquals(3, t.decidedTwice());
        assertEquals(1, t.decidedTwiceAnsweredOnce(), "a");
        assertEquals(1, t.decidedTwiceUnanswered(), "c");
        assertEquals(1, t.duplicated(), "b reached its terminal twice");
    }

    @Test
    void aFamilysTotalAddsItsSeeds() {
        FaultChecker.Tally one = FaultChecker.tally(List.of(r("a", Fate.ANSWERED, "00", 1), r("b", Fate.CUT, null, 0)), 0, Map.of(), Map.of());
        FaultChecker.Tally two = FaultChecker.tally(List.of(r("c", Fate.ANSWERED, "51", 1), r("d", Fate.NOT_SENT, null, 0)), 1, Map.of(),
                Map.of());
        FaultChecker.Tally sum = FaultChecker.Tally.ZERO.plus(one).plus(two);
        assertEquals(4, sum.requests());
        assertEquals(3, sum.sent());
        assertEquals(Map.of("00", 1L, "51", 1L), sum.byCode());
        assertEquals(1, sum.lost());
        assertEquals(1, sum.lostCut());
        assertEquals(1, sum.notSent());
        assertEquals(1, sum.mismatched());
    }
}
