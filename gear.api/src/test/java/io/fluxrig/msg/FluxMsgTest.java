package io.fluxrig.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The envelope itself: builder, dotted paths, derive, typed getters, trace validation. */
class FluxMsgTest {

    @Test
    void builderNormalisesAndOrdersCanonically() {
        FluxMsg m = FluxMsg.builder().data("bb", 1).data("a", 2.5f).data("ccc", new byte[] {1})
                .meta("zz", "1").meta("y", "2").build();
        assertEquals(List.of("a", "bb", "ccc"), List.copyOf(m.data().keySet()));
        assertEquals(List.of("y", "zz"), List.copyOf(m.meta().keySet()));
        assertEquals(1L, m.get("bb"));
        assertEquals(2.5, m.get("a"));
        assertEquals(Bytes.of(new byte[] {1}), m.get("ccc"));
        assertEquals(7, m.id().version());
        assertTrue(m.ts() > 1_700_000_000_000_000_000L);
        assertThrows(UnsupportedOperationException.class, () -> m.data().put("x", 1L));
        assertThrows(IllegalArgumentException.class, () -> FluxMsg.builder().data("x", new Object()));
    }

    @Test
    void dottedPaths() {
        FluxMsg m = FluxMsg.builder().data("card.pan", "4111").data("card.exp", "2812")
                .data("items", List.of(Map.of("sku", "A1"))).data(Map.of("odd.key", "v")).build();
        assertEquals("4111", m.get("card.pan"));
        assertEquals(Map.of("pan", "4111", "exp", "2812"), m.getMap("card"));
        assertEquals("A1", m.get("items.0.sku"));
        assertNull(m.get("items.1.sku"));
        assertNull(m.get("card.pan.x"));
        assertEquals("v", m.get("odd.key"));
        assertThrows(IllegalArgumentException.class, () -> m.toBuilder().data("card.pan.x", 1));
    }

    @Test
    void deriveSharesAndSetsRef() {
        FluxMsg m = FluxMsg.builder().src("s").data("a", 1L).meta("k", "v").raw(new byte[] {9}).build();
        FluxMsg d = m.derive().build();
        assertEquals(m.id(), d.ref());
        assertNotEquals(m.id(), d.id());
        assertSame(m.data(), d.data());
        assertSame(m.meta(), d.meta());
        assertSame(m.raw(), d.raw());
        FluxMsg hop = m.withHop("r", "g", 5);
        assertEquals(m.id(), hop.id());
        assertEquals(List.of(new Hop("r", "g", 5)), hop.path());
        assertEquals(m, m.toBuilder().build());
    }

    @Test
    void typedGetters() {
        FluxMsg m = FluxMsg.builder().data("n", 5L).data("s", "x").data("d", new BigDecimal("1.50")).build();
        assertEquals(new BigDecimal("5"), m.getDecimal("n"));
        assertEquals(new BigDecimal("1.50"), m.getDecimal("d"));
        assertNull(m.getLong("missing"));
        ClassCastException e = assertThrows(ClassCastException.class, () -> m.getLong("s"));
        assertEquals("data s: expected Long but is String", e.getMessage());
        assertThrows(ClassCastException.class, () -> m.getDecimal("s"));
        assertThrows(ClassCastException.class, () -> m.getBoolean("n"));
    }

    @Test
    void traceValidation() {
        String ok = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertEquals(ok, FluxMsg.builder().trace(ok).build().trace());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FluxMsg.builder().trace(ok.toUpperCase()));
        assertTrue(e.getMessage().startsWith("trace: not a W3C traceparent"));
        assertNull(FluxMsg.builder().trace(null).build().trace());
    }

    @Test
    void explicitTimestampIsKeptEvenAtLongMinValue() {
        UUID id = UUID.randomUUID();
        assertEquals(Long.MIN_VALUE, FluxMsg.builder().id(id).ts(Long.MIN_VALUE).build().ts());
        FluxMsg m = FluxMsg.builder().id(id).ts(3).build();
        assertTrue(m.derive().build().ts() > 3, "derive takes a fresh timestamp");
    }
}
