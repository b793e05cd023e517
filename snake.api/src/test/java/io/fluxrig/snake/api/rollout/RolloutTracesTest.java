package io.fluxrig.snake.api.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The link from a rollout to the traces of the gears it changed. */
class RolloutTracesTest {
    private static final RolloutRequest Q = new RolloutRequest("all", List.of("100%"), List.of(), List.of(), 0, 0, Rollout.PAUSE,
            1000, false);
    private static final Rollout R = new Rollout("0123456789abcdef", Q, Rollout.RUNNING, 0, List.of(1), Map.of(), 1_700_000_000_123L,
            1_700_000_001_000L, "x");

    @Test
    void aJaegerTemplateGetsTheIdAndTheWindowInMicroseconds() {
        RolloutTraces t = RolloutTraces.of(R, " http://jaeger:16686/search?service=fluxrig&start={startMicros}&end={endMicros}"
                + "&tags=%7B%22fluxrig.rollout.id%22%3A%22{rolloutId}%22%7D ", 1_700_000_005_000L);
        assertEquals("http://jaeger:16686/search?service=fluxrig&start=1700000000123000&end=1700000005000000"
                + "&tags=%7B%22fluxrig.rollout.id%22%3A%220123456789abcdef%22%7D", t.searchUrl());
        assertEquals("fluxrig.rollout.id=0123456789abcdef", t.filter());
        assertEquals(1_700_000_000_123L, t.start());
        assertEquals(1_700_000_005_000L, t.end());
    }

    @Test
    void millisecondsSecondsAndAnEncodedId() {
        Rollout odd = new Rollout("a b&c", Q, Rollout.DONE, 0, List.of(1), Map.of(), 1_000L, 2_000L, "x");
        assertEquals("https://t/?q=a+b%26c&from=1000&to=3500&s=1&e=4",
                RolloutTraces.of(odd, "https://t/?q={rolloutId}&from={start}&to={end}&s={startSeconds}&e={endSeconds}", 3_500L)
                        .searchUrl());
    }

    @Test
    void noTemplateNoLinkButTheFilterStays() {
        RolloutTraces t = RolloutTraces.of(R, "", 1L);
        assertNull(t.searchUrl());
        assertNull(RolloutTraces.of(R, null, 1L).searchUrl());
        assertEquals(R.createdAt(), t.end(), "the window never ends before it starts");
        assertEquals(RolloutTraces.ATTRIBUTE + "=" + R.id(), t.filter());
    }
}
