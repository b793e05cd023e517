package io.fluxrig.snake.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    @Test
    void oneEventPerPeriodIsAdmittedAndTheOthersAreCounted() {
        LogThrottle t = new LogThrottle(Duration.ofHours(1));
        assertEquals(0, t.admit(), "the first event is logged");
        for (int i = 0; i < 5; i++) {
            assertEquals(-1, t.admit());
        }
        LogThrottle always = new LogThrottle(Duration.ZERO);
        assertEquals(0, always.admit());
        assertEquals(0, always.admit());
        assertEquals(" (5 more since the last line)", LogThrottle.more(5));
        assertEquals("", LogThrottle.more(0));
    }
}
