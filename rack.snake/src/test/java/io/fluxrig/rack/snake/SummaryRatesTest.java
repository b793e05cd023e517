package io.fluxrig.rack.snake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fluxrig.rack.spi.RackState;
import io.fluxrig.snake.api.Inventory;
import io.fluxrig.snake.api.RackSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryRatesTest {
    private static final long SECOND = 1_000_000_000L;

    private static Inventory.Gear gear(String name, long in, long out, long errors) {
        return new Inventory.Gear(name, "t", "b 1.0.0", "running", in, out, errors);
    }

    @Test
    void theFirstReadingHasNoIntervalAndTheNextGivesRatesOverTheElapsedTime() {
        SummaryRates rates = new SummaryRates();
        assertNull(rates.next(10 * SECOND, List.of(gear("a", 100, 90, 1), gear("b", 50, 50, 0))));
        RackSummary s = rates.next(12 * SECOND, List.of(gear("a", 300, 280, 5), gear("b", 150, 140, 6)));
        assertEquals(2000, s.intervalMillis());
        assertEquals(150.0, s.inPerSecond(), 1e-9); // (200 + 100) / 2 s
        assertEquals(140.0, s.outPerSecond(), 1e-9); // (190 + 90) / 2 s
        assertEquals(10.0 / 300, s.errorRate(), 1e-12);
    }

    @Test
    void noTrafficIsZeroWithoutDividingByZero() {
        SummaryRates rates = new SummaryRates();
        rates.next(SECOND, List.of(gear("a", 7, 7, 1)));
        assertEquals(new RackSummary(5000, 0, 0, 0), rates.next(6 * SECOND, List.of(gear("a", 7, 7, 1))));
        assertNull(rates.next(6 * SECOND, List.of(gear("a", 9, 9, 1))), "no time passed");
    }

    @Test
    void aRecreatedGearCountsFromZeroAndNewOrGoneGearsAddOnlyWhatTheyHold() {
        SummaryRates rates = new SummaryRates();
        rates.next(0, List.of(gear("a", 1000, 1000, 10), gear("gone", 5, 5, 5)));
        RackSummary s = rates.next(SECOND, List.of(gear("a", 40, 30, 2), gear("new", 10, 10, 0)));
        assertEquals(50.0, s.inPerSecond(), 1e-9);
        assertEquals(40.0, s.outPerSecond(), 1e-9);
        assertEquals(2.0 / 50, s.errorRate(), 1e-12);
    }

    @Test
    void processingTimesGivePerGearPartsAndTheRackP99IsTheLargest() {
        SummaryRates rates = new SummaryRates();
        rates.next(0, List.of(gear("a", 0, 0, 0), gear("b", 0, 0, 0), gear("idle", 0, 0, 0)), Map.of());
        RackSummary s = rates.next(2 * SECOND, List.of(gear("a", 100, 100, 10), gear("b", 90, 90, 0), gear("idle", 0, 0, 0)),
                Map.of("a", new RackState.Latency(100, 1.0, 12.0, 30_000), "b", new RackState.Latency(90, 0.5, 3.0, 30_000)));
        assertEquals(12.0, s.p99Millis(), "the slowest instance's p99");
        assertEquals(new RackSummary.GearSummary(50.0, 0.1, 1.0, 12.0), s.gears().get("a"));
        assertEquals(new RackSummary.GearSummary(45.0, 0.0, 0.5, 3.0), s.gears().get("b"));
        assertEquals(new RackSummary.GearSummary(0, 0, null, null), s.gears().get("idle"), "not called: no percentiles");
        RackSummary none = rates.next(3 * SECOND, List.of(gear("a", 100, 100, 10)), Map.of());
        assertNull(none.p99Millis(), "no instance called in its window");
        assertEquals(1, none.gears().size());
    }
}
