package io.fluxrig.gear.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldOpsTest {
    private static final String[] NONE = {};

    private static FluxMsg msg() {
        return FluxMsg.builder().data("text", "hello").data("seq", 7L)
                .data("card", Map.of("pan", "4111", "exp", "2612")).data("items", List.of("a", "b")).build();
    }

    @Test
    void setCopyRemoveUpperInOrder() throws GearRejection {
        FieldOps ops = FieldOps.parse(new String[] {"status=new", "card.brand=visa"},
                new String[] {"text=greeting", "card.pan=pan"}, new String[] {"card.exp", "seq"},
                new String[] {"greeting", "status"});
        FluxMsg in = msg();
        FluxMsg out = ops.apply(in);
        assertEquals(in.id(), out.id());
        assertEquals("NEW", out.get("status"));
        assertEquals("visa", out.get("card.brand"));
        assertEquals("HELLO", out.get("greeting"));
        assertEquals("hello", out.get("text"));
        assertEquals("4111", out.get("pan"));
        assertNull(out.get("card.exp"));
        assertTrue(out.getMap("card").containsKey("pan"));
        assertFalse(out.data().containsKey("seq"));
    }

    @Test
    void metaEntriesSetMetaKeysAndLeaveDataAlone() throws GearRejection {
        FluxMsg in = msg().toBuilder().meta("iso.conn", "c-1").build();
        FluxMsg out = FieldOps.parse(NONE, new String[] {"reply.rack=edge-1", " note = a=b "}, NONE, NONE, NONE).apply(in);
        assertEquals(in.id(), out.id());
        assertEquals("edge-1", out.meta("reply.rack"));
        assertEquals("a=b", out.meta("note"));
        assertEquals("c-1", out.meta("iso.conn"));
        assertEquals(in.data(), out.data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FieldOps.parse(NONE, new String[] {"reply.rack"}, NONE, NONE, NONE));
        assertEquals("transform config meta[0]: 'reply.rack' is not key=value", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FieldOps.parse(NONE, new String[] {"ok=1", "bad key=x"}, NONE, NONE, NONE));
        assertTrue(e.getMessage().startsWith("transform config meta[1]: 'bad key' is not a dotted path"), e.getMessage());
    }

    @Test
    void missingPathsAreSkipped() throws GearRejection {
        FieldOps ops = FieldOps.parse(NONE, new String[] {"nope=other"}, new String[] {"nope", "card.nope"},
                new String[] {"nope"});
        FluxMsg in = msg();
        FluxMsg out = ops.apply(in);
        assertNull(out.get("other"));
        assertEquals(in.data(), out.data());
    }

    @Test
    void removeListElement() throws GearRejection {
        FluxMsg out = FieldOps.parse(NONE, NONE, new String[] {"items.0"}, NONE).apply(msg());
        assertEquals(List.of("b"), out.getList("items"));
    }

    @Test
    void upperOnNonTextRejectsNamingThePath() {
        FieldOps ops = FieldOps.parse(NONE, NONE, NONE, new String[] {"seq"});
        GearRejection r = assertThrows(GearRejection.class, () -> ops.apply(msg()));
        assertEquals("upper seq: not text but Long", r.getMessage());
    }

    @Test
    void setThroughNonMapRejects() {
        FieldOps ops = FieldOps.parse(new String[] {"text.inner=x"}, NONE, NONE, NONE);
        GearRejection r = assertThrows(GearRejection.class, () -> ops.apply(msg()));
        assertTrue(r.getMessage().startsWith("set text.inner: "), r.getMessage());
    }

    @Test
    void badConfigNamesAttributeAndIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FieldOps.parse(new String[] {"a=1", "novalue"}, NONE, NONE, NONE));
        assertEquals("transform config set[1]: 'novalue' is not path=value", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FieldOps.parse(NONE, new String[] {"a=b c"}, NONE, NONE));
        assertTrue(e.getMessage().startsWith("transform config copy[0]: 'b c' is not a dotted path"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FieldOps.parse(NONE, NONE, NONE, new String[] {"a..b"}));
        assertTrue(e.getMessage().startsWith("transform config upper[0]:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FieldOps.parse(NONE, NONE, new String[] {"a b"}, NONE));
        assertTrue(e.getMessage().startsWith("transform config remove[0]:"), e.getMessage());
        // Empty rows (as a console form sends them) are ignored, not errors.
        assertTrue(FieldOps.parse(new String[] {""}, NONE, new String[] {" "}, NONE).isEmpty());
    }

    @Test
    void noOpsPassesTheSameMessage() throws GearRejection {
        FieldOps ops = FieldOps.parse(null, null, null, null);
        assertTrue(ops.isEmpty());
        FluxMsg in = msg();
        assertSame(in, ops.apply(in));
    }
}
