package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.store.RackRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure logic: the offline rule with the Mixer's own stalls taken out (times are given, not waited for). */
class OfflineRuleTest {
    private static RackRecord online(long lastSeen) {
        return new RackRecord("r", Map.of(), RackRecord.ONLINE, 1, lastSeen, null, "1", Long.MAX_VALUE, 5000, Map.of(), null, "heartbeat");
    }

    @Test
    void aRackSilentForItsWindowWhileTheMixerRanIsLate() {
        OfflineRule rule = new OfflineRule(3, 1000);
        long t = 100_000;
        for (long now = t; now <= t + 16_000; now += 1000) {
            assertEquals(0, rule.sweepAt(now));
        }
        assertTrue(rule.late(online(t), t + 16_000), "16 s of silence > 3 × 5 s");
        assertFalse(rule.late(online(t), t + 15_000), "exactly the window is not late yet");
        assertFalse(rule.late(online(t).withState(RackRecord.PENDING, "x"), t + 16_000), "only online racks go offline");
    }

    @Test
    void afterAStallOfTheMixerARackGetsAFullWindowFromTheResume() {
        OfflineRule rule = new OfflineRule(3, 1000);
        long t = 100_000;
        rule.sweepAt(t);
        rule.sweepAt(t + 1000);
        // the Mixer did not run for 11 s: the next sweep comes 12 s after the previous one
        long resumed = t + 13_000;
        assertEquals(11_000, rule.sweepAt(resumed));
        RackRecord r = online(t); // its heartbeats of the stall are still unread
        assertFalse(rule.late(r, resumed + 1000), "16 s since its last heartbeat, but the Mixer ran for 1 s of them");
        for (long now = resumed + 1000; now <= resumed + 15_000; now += 1000) {
            assertEquals(0, rule.sweepAt(now));
            assertFalse(rule.late(r, now));
        }
        rule.sweepAt(resumed + 16_000);
        assertTrue(rule.late(r, resumed + 16_000), "silent for a full window after the resume");
    }
}
