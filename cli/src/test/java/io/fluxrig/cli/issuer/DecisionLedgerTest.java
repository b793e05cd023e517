package io.fluxrig.cli.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The issuer's count of decisions per request: repeats, the listed repeats, the memory limit. */
class DecisionLedgerTest {
    @Test
    void countsRepeatsAndListsEachRepeatedRequestOnce() {
        DecisionLedger l = new DecisionLedger(10);
        l.record("a");
        l.record("b");
        l.record("a");
        l.record("a");
        DecisionLedger.Snapshot s = l.snapshot();
        assertEquals(4, s.decisions());
        assertEquals(2, s.requests());
        assertEquals(2, s.repeats(), "the second and third decision of a");
        assertEquals(Map.of("a", 3), s.repeated());
        assertEquals(3, l.times("a"));
        assertEquals(0, l.times("c"));
    }

    @Test
    void decisionsOfRequestsBeyondTheLimitAreCountedAsUntracked() {
        DecisionLedger l = new DecisionLedger(2);
        l.record("a");
        l.record("b");
        l.record("c");
        l.record("c");
        l.record("a");
        DecisionLedger.Snapshot s = l.snapshot();
        assertEquals(5, s.decisions());
        assertEquals(2, s.requests());
        assertEquals(1, s.repeats());
        assertEquals(2, s.untracked());
        assertEquals("{\"decisions\":5,\"requests\":2,\"repeats\":1,\"untracked\":2,\"repeated\":{\"a\":2}}", s.json());
    }
}
