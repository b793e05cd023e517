package io.fluxrig.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The array-backed containers and hand-written checks on the codec's hot paths behave as the
 * TreeMaps, ArrayLists and regex they stand for.
 */
class CanonicalMapTest {
    /** The traceparent form as a regex: the hand-written check must agree with it. */
    private static final Pattern TRACEPARENT =
            Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    @Test
    void traceparentCheckAgreesWithTheRegex() {
        Random r = new Random(7);
        String valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String alphabet = "0123456789abcdefABCDEFg-_ ";
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(valid);
            int edits = r.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(s.length());
                char c = alphabet.charAt(r.nextInt(alphabet.length()));
                switch (r.nextInt(3)) {
                    case 0 -> s.setCharAt(at, c);
                    case 1 -> s.insert(at, c);
                    default -> s.deleteCharAt(at);
                }
            }
            String t = s.toString();
            boolean expected = TRACEPARENT.matcher(t).matches();
            assertEquals(expected, Traceparent.isValid(t), t);
            accepted += expected ? 1 : 0;
        }
        assertTrue(accepted > 1000 && accepted < 19_000, "both outcomes exercised: " + accepted);
        assertFalse(Traceparent.isValid(""));
    }

    @Test
    void messagePartsAreImmutable() {
        FluxMsg m = FluxMsg.builder().meta("k", "v").data("card.pan", "4111").data("l", List.of(1, 2))
                .hop(new Hop("r", "g", 1)).build();
        for (Map<String, ?> map : List.of(m.data(), m.meta(), m.getMap("card"))) {
            assertThrows(UnsupportedOperationException.class, () -> map.remove("k"));
            assertThrows(UnsupportedOperationException.class, map::clear);
            Iterator<? extends Map.Entry<String, ?>> it = map.entrySet().iterator();
            Map.Entry<String, ?> first = it.next();
            assertThrows(UnsupportedOperationException.class, it::remove);
            @SuppressWarnings("unchecked")
            Map.Entry<String, Object> e = (Map.Entry<String, Object>) first;
            assertThrows(UnsupportedOperationException.class, () -> e.setValue("x"));
        }
        assertThrows(UnsupportedOperationException.class, () -> m.meta().put("a", "b"));
        assertThrows(UnsupportedOperationException.class, () -> m.getList("l").add(3L));
        assertThrows(UnsupportedOperationException.class, () -> m.path().add(new Hop("a", "b", 2)));
        assertThrows(UnsupportedOperationException.class,
                () -> m.withHop("x", "y", 3).path().set(0, new Hop("a", "b", 2)));
    }

    @Test
    void lookupsAndEqualityMatchAHashMap() {
        FluxMsg m = FluxMsg.builder().data("bb", 1).data("a", "x").data("ccc", null).data("ü", true)
                .data("水", 2L).build();
        Map<String, Object> expected = new HashMap<>();
        expected.put("bb", 1L);
        expected.put("a", "x");
        expected.put("ccc", null);
        expected.put("ü", true);
        expected.put("水", 2L);
        assertEquals(expected, m.data());
        assertEquals(m.data(), expected);
        assertEquals(expected.hashCode(), m.data().hashCode());
        assertEquals(List.of("a", "bb", "ü", "ccc", "水"), List.copyOf(m.data().keySet()));
        assertTrue(m.data().containsKey("ccc"));
        assertFalse(m.data().containsKey("cc"));
        assertFalse(m.data().containsKey(1));
        assertNull(m.data().get(1));
        assertNull(m.data().get("zz"));
        assertEquals(2L, m.data().get("水"));
        assertTrue(FluxMsg.builder().build().data().isEmpty());
        assertTrue(FluxMsg.builder().build().meta().isEmpty());
    }

    @Test
    void withHopCopiesEverythingButThePath() {
        FluxMsg m = FluxMsg.builder().id(UUID.randomUUID()).ts(42).ref(UUID.randomUUID())
                .trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").src("s")
                .meta("k", "v").data("a", 1L).raw(new byte[] {1, 2}).hop(new Hop("r0", "g0", 1)).build();
        FluxMsg h = m.withHop("r1", "g1", 2);
        assertEquals(m.toBuilder().hop(new Hop("r1", "g1", 2)).build(), h);
        assertEquals(List.of(new Hop("r0", "g0", 1)), m.path(), "the original keeps its path");
        assertEquals(List.of(new Hop("r0", "g0", 1), new Hop("r1", "g1", 2)), h.path());
        assertSame(m.data(), h.data());
        assertSame(m.meta(), h.meta());
        assertSame(m.raw(), h.raw());
        assertEquals(m.ts(), h.ts());
        assertEquals(m.trace(), h.trace());
        assertNotSame(m.path(), h.path());
        assertEquals(3, h.withHop("r2", "g2", 3).path().size());
        assertThrows(NullPointerException.class, () -> m.withHop(null, "g", 1));
    }

    @Test
    void withTraceAndHopIsTheBuilderResultWithoutTheBuilder() {
        FluxMsg m = FluxMsg.builder().id(UUID.randomUUID()).ts(42).src("s").meta("k", "v").data("a", 1L)
                .hop(new Hop("r0", "g0", 1)).build();
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        FluxMsg h = m.withTraceAndHop(trace, "r1", "g1", 2);
        assertEquals(m.toBuilder().trace(trace).hop(new Hop("r1", "g1", 2)).build(), h);
        assertNull(m.trace(), "the original keeps its trace");
        assertSame(m.data(), h.data());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> m.withTraceAndHop("00-xyz", "r1", "g1", 2));
        assertTrue(bad.getMessage().contains("not a W3C traceparent"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.withTraceAndHop(null, "r1", "g1", 2));
    }
}
