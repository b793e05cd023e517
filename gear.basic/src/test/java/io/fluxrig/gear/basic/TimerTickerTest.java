package io.fluxrig.gear.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Gear;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.RecordingContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The timer's retry rule: a refused message is emitted again, a seq is never skipped. */
class TimerTickerTest {

    @Test
    void retriesTheSameMessageAndStopsAtCount() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        RecordingContext ctx = new RecordingContext("tick").beforeEmit((port, msg) -> {
            if (attempts.incrementAndGet() % 2 == 1) {
                throw new BackPressureException("full"); // every other emit is refused
            }
        });
        TimerTicker ticker = new TimerTicker(ctx, 2, 5, "hi");
        ticker.start();
        Await.until("the ticker stops itself at its count", ticker::finished);
        List<FluxMsg> taken = ctx.emitted(Gear.PORT_OUT);
        assertEquals(5, taken.size());
        assertEquals(10, attempts.get());
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1L, taken.get(i).getLong("seq"));
            assertEquals("hi", taken.get(i).getString("text"));
            assertTrue(taken.get(i).getString("at").endsWith("Z"));
        }
    }
}
