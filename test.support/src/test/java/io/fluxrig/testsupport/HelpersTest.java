package io.fluxrig.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Deferral;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared test helpers themselves: what they record and how they fail. */
class HelpersTest {

    @Test
    void awaitReturnsOnceTheConditionHoldsAndFailsNamingWhatItWaitedFor() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", () -> polls.incrementAndGet() >= 3);
        assertEquals(3, polls.get());
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("never", () -> false, Duration.ofMillis(30)));
        assertEquals("timed out after 30 ms waiting for: never", e.getMessage());
    }

    @Test
    void recordsEmitsPerPortRoutesAndRefusals() throws Exception {
        RecordingContext ctx = new RecordingContext("g");
        ctx.route("next", m -> {
            throw new GearRejection("field x: missing");
        });
        ctx.emit(Gear.PORT_OUT, FluxMsg.builder().data("seq", 1L).build());
        ctx.emit("next", FluxMsg.builder().data("seq", 2L).build());
        assertEquals(1L, ctx.next().msg().getLong("seq"));
        assertTrue(ctx.isEmpty(), "a routed emit is not recorded");
        assertEquals(List.of("field x: missing"), ctx.rejections());

        ctx.beforeEmit((port, msg) -> {
            throw new BackPressureException("full");
        });
        assertThrows(BackPressureException.class, () -> ctx.emit(Gear.PORT_OUT, FluxMsg.builder().build()));
        assertEquals(1, ctx.emitted().size(), "a refused emit is not recorded");
    }

    @Test
    void holdingDeferralsRecordWhatTheGearDoes() throws Exception {
        RecordingContext ctx = new RecordingContext("g").holding(true);
        Deferral d = ctx.defer();
        assertTrue(d.redelivers());
        FluxMsg m = FluxMsg.builder().data("seq", 3L).build();
        d.reject(m, "backend down");
        assertEquals("defer", ctx.nextEvent());
        assertEquals("reject: backend down", ctx.nextEvent());
        FluxMsg error = ctx.take(Gear.PORT_ERROR);
        assertEquals("backend down", error.meta(Gear.META_ERROR));
        assertEquals("g", error.meta(Gear.META_ERROR_GEAR));
        assertFalse(new RecordingContext().defer().redelivers(), "without holding: the API's plain deferral");
    }
}
