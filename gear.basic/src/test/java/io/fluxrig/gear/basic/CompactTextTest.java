package io.fluxrig.gear.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import org.junit.jupiter.api.Test;

class CompactTextTest {

    @Test
    void rendersNestedDataOnOneLine() {
        FluxMsg m = FluxMsg.builder().data("seq", 1L).data("text", "a\"b\nc").data("card.pan", "4111")
                .data("raw", Bytes.fromHex("0a0b")).data("ok", true).data("list", java.util.List.of(1L, "x")).build();
        // Canonical key order: shorter keys first, then bytewise.
        assertEquals("{\"ok\":true,\"raw\":h'0a0b',\"seq\":1,\"card\":{\"pan\":\"4111\"},\"list\":[1,\"x\"],"
                + "\"text\":\"a\\\"b\\nc\"}", CompactText.render(m.data(), 1000));
    }

    @Test
    void cutsLongText() {
        FluxMsg m = FluxMsg.builder().data("text", "x".repeat(100)).build();
        String s = CompactText.render(m.data(), 20);
        assertEquals(20, s.length());
        assertEquals("{\"text\":\"xxxxxxxx...", s);
    }
}
