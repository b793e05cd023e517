package io.fluxrig.cli.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress lines of successive views of one rollout (pure logic). */
class RolloutWatchTest {
    private static Map<String, Object> rollout(String state, int wave, String reason, Object... racks) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (int i = 0; i < racks.length; i += 3) {
            r.put((String) racks[i], Map.of("wave", 0, "state", racks[i + 1], "detail", racks[i + 2]));
        }
        return Map.of("id", "0123456789abcdef", "state", state, "wave", wave, "waveTargets", List.of(1, 2), "racks", r, "reason", reason);
    }

    @Test
    void oneLinePerWaveAndRackStateChangeAndOneAtTheEnd() {
        RolloutWatch w = new RolloutWatch("role=core");
        String p = "rollout 0123456789abcdef (role=core): ";
        assertEquals(List.of(p + "wave 1 of 2 open (2 rack(s) in 2 wave(s))", p + "a queued: waiting for wave 1", p + "b queued: waiting for wave 2"),
                w.changes(rollout("running", 0, "2 rack(s) in 2 wave(s)", "a", "queued", "waiting for wave 1", "b", "queued", "waiting for wave 2")));
        assertEquals(List.of(p + "a deploying: sent install-bundle x.jar (step 1 of 2)"), w.changes(rollout("running", 0, "2 rack(s) in 2 wave(s)",
                "a", "deploying", "sent install-bundle x.jar (step 1 of 2)", "b", "queued", "waiting for wave 2")));
        // A new step of the same state is not a state change.
        assertEquals(List.of(), w.changes(rollout("running", 0, "2 rack(s) in 2 wave(s)",
                "a", "deploying", "sent apply-patch p.yaml (step 2 of 2)", "b", "queued", "waiting for wave 2")));
        assertFalse(w.ended());
        assertEquals(List.of(p + "wave 2 of 2 open (wave 1 passed its gate)", p + "a done: healthy for the soak period",
                p + "b deploying: sent install-bundle x.jar (step 1 of 2)"), w.changes(rollout("running", 1, "wave 1 passed its gate",
                "a", "done", "healthy for the soak period", "b", "deploying", "sent install-bundle x.jar (step 1 of 2)")));
        assertEquals(List.of(p + "b done: healthy for the soak period", p + "done: 2 rack(s) done, 0 failed"),
                w.changes(rollout("done", 1, "2 rack(s) done, 0 failed", "a", "done", "healthy for the soak period", "b", "done",
                        "healthy for the soak period")));
        assertTrue(w.ended());
        assertEquals("done", w.state());
    }

    @Test
    void aRolloutFirstSeenEndedSaysSoAndAPauseEndsTheWatch() {
        RolloutWatch ended = new RolloutWatch(null);
        assertEquals(List.of("rollout 0123456789abcdef: a rolled-back: restored", "rollout 0123456789abcdef: rolled-back: rolled back: 1 rack(s) restored"),
                ended.changes(rollout("rolled-back", 0, "rolled back: 1 rack(s) restored", "a", "rolled-back", "restored")));
        assertTrue(ended.ended());
        RolloutWatch paused = new RolloutWatch(null);
        paused.changes(rollout("running", 0, "1 rack(s) in 1 wave(s)", "a", "deploying", "sent"));
        assertTrue(paused.changes(rollout("paused", 0, "1 rack(s) failed", "a", "failed", "install-bundle x.jar: failed: no"))
                .contains("rollout 0123456789abcdef: paused: 1 rack(s) failed"));
        assertTrue(paused.ended());
        assertEquals("paused", paused.state());
    }
}
