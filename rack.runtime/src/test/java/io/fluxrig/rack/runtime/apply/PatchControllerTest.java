package io.fluxrig.rack.runtime.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.rack.runtime.catalog.GearTypeInfo;
import io.fluxrig.rack.runtime.patch.Patch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The patch loop's decisions, with a hand-built catalog and a hand-driven clock. */
class PatchControllerTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Map<String, GearTypeInfo> types = new TreeMap<>();
    private final List<Patch> deployed = new ArrayList<>();
    private final PatchController c = new PatchController("p.yaml", () -> Map.copyOf(types),
            (running, next) -> deployed.add(next.patch()), 15_000, clock::get);

    private static GearTypeInfo log() {
        return new GearTypeInfo("log", List.of("in"), List.of(), "b", "", null);
    }

    @Test
    void waitsForUnknownTypesDuringGraceThenApplies() {
        c.offer("gears: { out: log }\n");
        assertTrue(c.status().waiting());
        assertFalse(c.firstOutcome().isDone());
        assertTrue(deployed.isEmpty());
        clock.addAndGet(2_000);
        types.put("log", log());
        c.offer("gears: { out: log }\n");
        assertEquals(1, deployed.size());
        assertTrue(c.firstOutcome().isDone());
        assertEquals(List.of(), c.status().refusal());
        c.offer("gears: { out: log }\n");
        assertEquals(1, deployed.size(), "unchanged content is not applied again");
    }

    @Test
    void refusesAfterGraceKeepsRunningPatchAndRetriesWhenTypesChange() {
        types.put("log", log());
        c.offer("gears: { out: log }\n");
        assertEquals(1, deployed.size());
        c.offer("gears: { out: log, t: timer }\nlinks: [ t.out -> nobody.in ]\n");
        assertEquals(1, deployed.size());
        List<String> refusal = c.status().refusal();
        assertEquals(List.of("gear 't': unknown gear type 'timer' (known: log)", "link 't.out -> nobody.in': unknown gear 'nobody'"),
                refusal);
        assertEquals(1, c.status().applied().gears().size(), "the running patch stays");
        types.put("timer", new GearTypeInfo("timer", List.of(), List.of("out"), "b", "", null));
        c.offer("gears: { out: log, t: timer }\nlinks: [ t.out -> out.in ]\n");
        assertEquals(2, deployed.size());
        assertEquals(List.of(), c.status().refusal());
    }

    @Test
    void syntaxErrorsAreRefusedAtOnceEvenInGrace() {
        c.offer("gears: [\n");
        assertTrue(c.firstOutcome().isDone());
        assertFalse(c.status().waiting());
        assertEquals(1, c.status().refusal().size());
        assertTrue(c.status().refusal().get(0).startsWith("YAML syntax error at line"), c.status().refusal().toString());
    }
}
