package io.fluxrig.gear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fluxrig.msg.FluxMsg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default {@link GearContext#defer()} of a context that holds nothing open. */
class DefaultDeferralTest {

    /** A context that only records its emits (as test contexts of gear modules do). */
    private static final class Emits implements GearContext {
        final List<String> emitted = new ArrayList<>();
        final List<FluxMsg> messages = new ArrayList<>();

        @Override
        public String rack() {
            return "r";
        }

        @Override
        public String instance() {
            return "g";
        }

        @Override
        public void emit(String port, FluxMsg msg) {
            emitted.add(port + " " + msg.getLong("seq"));
            messages.add(msg);
        }
    }

    @Test
    void emitsGoStraightToTheContextUntilSettled() {
        Emits ctx = new Emits();
        Deferral d = ctx.defer();
        assertFalse(d.redelivers(), "nothing can deliver the message again");
        d.emit(Gear.PORT_OUT, FluxMsg.builder().data("seq", 1L).build());
        d.emit(Gear.PORT_ERROR, FluxMsg.builder().data("seq", 2L).build());
        d.complete();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> d.emit(Gear.PORT_OUT, FluxMsg.builder().data("seq", 3L).build()));
        assertEquals("gear g: deferral already settled, emit on 'out' refused", e.getMessage());
        assertEquals(List.of("out 1", "error 2"), ctx.emitted);
    }

    @Test
    void failingSettlesItToo() {
        Emits ctx = new Emits();
        Deferral d = ctx.defer();
        d.fail("backend gone");
        d.complete();
        assertThrows(IllegalStateException.class, () -> d.emit(Gear.PORT_OUT, FluxMsg.builder().data("seq", 1L).build()));
        assertEquals(List.of(), ctx.emitted);
    }

    @Test
    void rejectingEmitsTheErrorMessageAndSettles() {
        Emits ctx = new Emits();
        Deferral d = ctx.defer();
        FluxMsg held = FluxMsg.builder().data("seq", 4L).meta("http.attempts", "2").build();
        d.reject(held, "backend answered 503");
        FluxMsg error = ctx.messages.get(0);
        assertEquals(List.of("error 4"), ctx.emitted);
        assertEquals(held.id(), error.id(), "the rejected message itself");
        assertEquals("backend answered 503", error.meta(Gear.META_ERROR));
        assertEquals("g", error.meta(Gear.META_ERROR_GEAR));
        assertEquals("2", error.meta("http.attempts"), "the gear's own meta is kept");
        assertThrows(IllegalStateException.class, () -> d.reject(held, "again"));
        assertThrows(IllegalStateException.class, () -> d.emit(Gear.PORT_OUT, held));
        assertEquals(1, ctx.messages.size());
    }

    @Test
    void theErrorMessageNamesTheGearAndAReasonEvenWhenNoneWasGiven() {
        FluxMsg m = FluxMsg.builder().data("seq", 1L).build();
        assertEquals("no reason given", GearRejection.errorMessage(m, "g", null).meta(Gear.META_ERROR));
        assertEquals("no reason given", GearRejection.errorMessage(m, "g", " ").meta(Gear.META_ERROR));
        assertEquals("g", GearRejection.errorMessage(m, "g", "x").meta(Gear.META_ERROR_GEAR));
    }
}
