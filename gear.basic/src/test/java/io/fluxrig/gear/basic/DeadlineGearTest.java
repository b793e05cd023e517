package io.fluxrig.gear.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.RecordingContext;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The deadline gear with a downstream that refuses, as while the gears after it are being replaced. */
class DeadlineGearTest {

    @Test
    void aReplyRefusedDownstreamIsAnsweredOnceWhenDeliveredAgain() throws Exception {
        DeadlineGear gear = new DeadlineGear(config(60_000, 10));
        RecordingContext ctx = new RecordingContext("pending");
        AtomicBoolean refuse = new AtomicBoolean(true);
        ctx.beforeEmit((port, m) -> {
            if (port.equals(DeadlineGear.PORT_ANSWERED) && refuse.get()) {
                throw new BackPressureException("gear encode is not bound");
            }
        });
        gear.open(ctx);
        try {
            FluxMsg request = FluxMsg.builder().data("stan", "000001").build();
            gear.onMessage("in", request, ctx);
            FluxMsg decision = request.derive().data("decision", "00").build();
            assertThrows(BackPressureException.class, () -> gear.onMessage(DeadlineGear.PORT_REPLY, decision, ctx),
                    "the refusal reaches the wire delivery, which is then delivered again");
            refuse.set(false);
            gear.onMessage(DeadlineGear.PORT_REPLY, decision, ctx);
            assertEquals(List.of(decision), ctx.emitted(DeadlineGear.PORT_ANSWERED), "the reply delivered again answers the request");
            gear.onMessage(DeadlineGear.PORT_REPLY, decision, ctx);
            assertEquals(1, ctx.emitted(DeadlineGear.PORT_ANSWERED).size(), "a third delivery finds nothing waiting");
            assertEquals(List.of(), ctx.emitted(DeadlineGear.PORT_EXPIRED));
        } finally {
            gear.close();
        }
    }

    private static DeadlineConfig config(long timeoutMs, int maxPending) {
        return new DeadlineConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DeadlineConfig.class;
            }

            @Override
            public long timeout_ms() {
                return timeoutMs;
            }

            @Override
            public int max_pending() {
                return maxPending;
            }
        };
    }
}
