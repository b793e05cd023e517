package io.fluxrig.gear.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The timer's retry rule: a refused message is emitted again, a seq is never skipped. */
class TimerTickerTest {

    /** A context that refuses every other emit with back pressure and records what it took. */
    private static final class RefusingContext implements GearContext {
        final List<FluxMsg> taken = new CopyOnWriteArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public String rack() {
            return "test";
        }

        @Override
        public String instance() {
            return "tick";
        }

        @Override
        public void emit(String port, FluxMsg msg) {
            if (attempts.incrementAndGet() % 2 == 1) {
                throw new BackPressureException("full");
            }
            taken.add(msg);
        }
    }

    @Test
    void retriesTheSameMessageAndStopsAtCount() throws InterruptedException {
        RefusingContext ctx = new RefusingContext();
        TimerTicker ticker = new TimerTicker(ctx, 2, 5, "hi");
        ticker.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ctx.taken.size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        ticker.stop();
        assertEquals(5, ctx.taken.size());
        assertEquals(10, ctx.attempts.get());
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1L, ctx.taken.get(i).getLong("seq"));
            assertEquals("hi", ctx.taken.get(i).getString("text"));
            assertTrue(ctx.taken.get(i).getString("at").endsWith("Z"));
        }
    }
}
