package io.fluxrig.bench.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.bench.fault.TerminalFleet.Fate;
import io.fluxrig.bench.fault.TerminalFleet.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table: a row per seed, a total per family with more than one, every row as wide as the header. */
class FaultTableTest {
    private static FaultTable.Row row(FaultSchedule.Trial t, String target, double elect, double recovered, Request... rs) {
        return new FaultTable.Row(t, target, FaultChecker.tally(List.of(rs), 0, Map.of(), Map.of()), 0, rs.length, rs.length, elect, recovered,
                "R3", "1.0 → 1.0");
    }

    @Test
    void perSeedRowsThenAFamilyTotal() {
        List<FaultSchedule.Trial> plan = FaultSchedule.plan(List.of("core", "kill"), 2, 1, 15, 5, 60);
        String table = FaultTable.render(List.of(
                row(plan.get(0), "core", Double.NaN, 20.5, new Request("a", Fate.ANSWERED, "00", 1)),
                row(plan.get(1), "core2", Double.NaN, 31.0, new Request("b", Fate.CUT, null, 0)),
                row(plan.get(2), "n1", 6.0, 18.0, new Request("c", Fate.ANSWERED, "96", 1)),
                row(plan.get(3), "n2", 7.5, 17.0, new Request("d", Fate.NOT_SENT, null, 0))));
        List<String> lines = table.lines().toList();
        assertEquals(2 + 4 + 2, lines.size(), table);
        long cells = lines.get(0).chars().filter(c -> c == '|').count();
        lines.forEach(l -> assertEquals(cells, l.chars().filter(c -> c == '|').count(), l));
        assertTrue(lines.get(4).startsWith("| **core: 2 seeds** | all |  |  | 2 | 2 | 0 | 1 | 1 / 0 / 0 | 0 | 1 (1 / 0) |"), lines.get(4));
        assertTrue(lines.get(4).contains("| - | max 31.0 |"), "no leader asked; the longest recovery: " + lines.get(4));
        assertTrue(lines.get(7).startsWith("| **kill: 2 seeds** | all |  |  | 2 | 1 | 1 | 1 | 0 / 0 / 0 | 1 | 0 (0 / 0) |"), lines.get(7));
        assertTrue(lines.get(7).contains("| max 7.5 | max 18.0 |"), lines.get(7));
    }

    @Test
    void oneSeedNoTotal() {
        FaultSchedule.Trial t = FaultSchedule.plan(List.of("edge"), 1, 4, 15, 5, 60).get(0);
        String table = FaultTable.render(List.of(row(t, "edge", Double.NaN, 12.0, new Request("a", Fate.ANSWERED, "00", 1))));
        assertEquals(3, table.lines().count(), table);
        assertTrue(table.lines().toList().get(2).startsWith("| edge | 4 | "), table);
    }
}
