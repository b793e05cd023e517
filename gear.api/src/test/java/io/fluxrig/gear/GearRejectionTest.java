package io.fluxrig.gear;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.msg.FluxMsg;
import org.junit.jupiter.api.Test;

class GearRejectionTest {

    @Test
    void theErrorPortReasonHasCardNumbersMasked() {
        FluxMsg in = FluxMsg.builder().data("x", 1L).build();
        FluxMsg failed = GearRejection.errorMessage(in, "g1", "field 2: '4761739001010010' refused by the issuer");
        assertEquals("field 2: '476173******0010' refused by the issuer", failed.meta(Gear.META_ERROR));
        assertEquals("g1", failed.meta(Gear.META_ERROR_GEAR));
        assertEquals(in.id(), failed.id());
        assertEquals("no reason given", GearRejection.errorMessage(in, "g1", " ").meta(Gear.META_ERROR));
    }
}
