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

    /** One sweep of {@code rule} starting at {@code start} and taking {@code ms}; @return the stall it saw. */
    private static long sweep(OfflineRule rule, long start, long ms) {
        long stalled = rule.sweepAt(start);
        rule.swept(start + ms);
        return stalled;
    }

    @Test
    void aRackSilentForItsWindowWhileTheMixerRanIsLate() {
        OfflineRule rule = new OfflineRule(3, 1000);
        long t = 100_000;
        for (long now = t; now <= t + 16_000; now += 1000) {
            assertEquals(0, sweep(rule, now, 0));
        }
        assertTrue(rule.late(online(t), t + 16_000), "16 s of silence > 3 × 5 s");
        assertFalse(rule.late(online(t), t + 15_000), "exactly the window is not late yet");
        assertFalse(rule.late(online(t).withState(RackRecord.PENDING, "x"), t + 16_000), "only online racks go offline");
    }

    @Test
    void afterAStallOfTheMixerARackGetsAFullWindowFromTheResume() {
        OfflineRule rule = new OfflineRule(3, 1000);
        long t = 100_000;
        sweep(rule, t, 0);
        sweep(rule, t + 1000, 0);
        // the Mixer did not run for 11 s: the next sweep comes 12 s after the previous one ended
        long resumed = t + 13_000;
        assertEquals(11_000, sweep(rule, resumed, 0));
        RackRecord r = online(t); // its heartbeats of the stall are still unread
        assertFalse(rule.late(r, resumed + 1000), "16 s since its last heartbeat, but the Mixer ran for 1 s of them");
        for (long now = resumed + 1000; now <= resumed + 15_000; now += 1000) {
            assertEquals(0, sweep(rule, now, 0));
            assertFalse(rule.late(r, now));
        }
        sweep(rule, resumed + 16_000, 0);
        assertTrue(rule.late(r, resumed + 16_000), "silent for a full window after the resume");
    }

    @Test
    void aSweepThatTookLongIsNotAStall() {
        OfflineRule rule = new OfflineRule(3, 1000);
        long t = 100_000;
        sweep(rule, t, 20_000); // writing many racks offline on a slow NATS took 20 s
        assertEquals(0, sweep(rule, t + 21_000, 0), "the next sweep came one interval after the long one ended");
        assertTrue(rule.late(online(t), t + 21_000));
    }
}
