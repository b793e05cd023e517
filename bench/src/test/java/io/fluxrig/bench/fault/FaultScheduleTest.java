package io.fluxrig.bench.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trials of a fault run: order, seeds, the fault's place in the load, the seeded target. */
class FaultScheduleTest {
    @Test
    void eachFamilyRunsOnceASeedInOrderWithConsecutiveSeeds() {
        List<FaultSchedule.Trial> plan = FaultSchedule.plan(List.of("core", "kill"), 3, 7, 15, 5, 60);
        assertEquals(List.of("core", "core", "core", "kill", "kill", "kill"), plan.stream().map(FaultSchedule.Trial::family).toList());
        assertEquals(List.of(7L, 8L, 9L, 7L, 8L, 9L), plan.stream().map(FaultSchedule.Trial::seed).toList());
        assertEquals(List.of(1, 2, 3, 1, 2, 3), plan.stream().map(FaultSchedule.Trial::round).toList());
    }

    @Test
    void aFamilyAndSeedAlwaysGiveTheSameTrialWhateverElseRuns() {
        FaultSchedule.Trial alone = FaultSchedule.plan(List.of("edge"), 1, 12, 15, 5, 60).get(0);
        FaultSchedule.Trial inALongRun = FaultSchedule.plan(List.of("kill", "edge"), 10, 3, 15, 5, 60).get(10 + 9);
        assertEquals(12, inALongRun.seed());
        assertEquals(alone, new FaultSchedule.Trial("edge", 1, alone.seed(), inALongRun.faultAtMs(), inALongRun.pick()));
    }

    @Test
    void theFaultComesWithinTheJitterAndInsideTheLoad() {
        Set<Long> places = new HashSet<>();
        for (FaultSchedule.Trial t : FaultSchedule.plan(FaultSchedule.FAMILIES, 10, 1, 15, 5, 60)) {
            assertTrue(t.faultAtMs() >= 10_000 && t.faultAtMs() <= 20_000, t.toString());
            places.add(t.faultAtMs());
        }
        assertTrue(places.size() > 30, "seeds move the fault: " + places.size() + " places in 70 trials");
        for (FaultSchedule.Trial t : FaultSchedule.plan(List.of("pause"), 5, 1, 15, 0, 60)) {
            assertEquals(15_000, t.faultAtMs(), "no jitter: the fault at faultAt");
        }
        for (FaultSchedule.Trial t : FaultSchedule.plan(List.of("pause"), 20, 1, 3, 10, 8)) {
            assertTrue(t.faultAtMs() >= 1000 && t.faultAtMs() <= 7000, "kept 1 s inside the load: " + t);
        }
    }

    @Test
    void seedsPickEveryCandidateAndAPickIsStable() {
        List<String> cores = List.of("core", "core2");
        Set<String> picked = new HashSet<>();
        for (FaultSchedule.Trial t : FaultSchedule.plan(List.of("core"), 10, 1, 15, 5, 60)) {
            String c = t.choose(cores);
            assertEquals(c, t.choose(cores));
            picked.add(c);
        }
        assertEquals(Set.of("core", "core2"), picked);
        FaultSchedule.Trial t = FaultSchedule.plan(List.of("kill2"), 1, 1, 15, 5, 60).get(0);
        assertThrows(IllegalArgumentException.class, () -> t.choose(List.of()));
        assertNotEquals(FaultSchedule.plan(List.of("kill2"), 1, 1, 15, 5, 60).get(0).pick(),
                FaultSchedule.plan(List.of("kill2"), 1, 2, 15, 5, 60).get(0).pick());
    }

    @Test
    void refusesUnknownFamiliesAndSettingsOutOfRangeNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultSchedule.plan(List.of("reboot"), 1, 1, 15, 5, 60))
                .getMessage().startsWith("unknown family reboot (kill, kill2, pause, partition, restart, core, edge)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultSchedule.plan(List.of("kill"), 0, 1, 15, 5, 60))
                .getMessage().startsWith("seeds=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FaultSchedule.plan(List.of("kill"), 1, 1, 60, 5, 60))
                .getMessage().startsWith("faultAt=60"));
    }
}
