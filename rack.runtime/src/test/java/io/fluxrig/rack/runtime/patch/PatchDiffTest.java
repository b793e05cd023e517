package io.fluxrig.rack.runtime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PatchDiffTest {

    @Test
    void addsRemovesReconfiguresAndRelinks() {
        Patch old = PatchParser.parse("""
                gears: { a: { type: timer }, b: { type: log }, c: { type: log, config: { x: 1 } }, d: log }
                links: [ a.out -> b.in, a.out -> c.in ]
                """).patch();
        Patch next = PatchParser.parse("""
                gears: { a: { type: timer }, c: { type: log, config: { x: 2 } }, d: transform, e: log }
                links: [ a.out -> c.in, a.out -> e.in ]
                """).patch();
        PatchDiff d = PatchDiff.of(old, next);
        assertEquals(Set.of("e"), d.added());
        assertEquals(Set.of("b"), d.removed());
        assertEquals(Set.of("c", "d"), d.reconfigured());
        assertEquals(Set.of(new Link(Endpoint.gear("a", "out"), Endpoint.gear("e", "in"))), d.linksAdded());
        assertEquals(Set.of(new Link(Endpoint.gear("a", "out"), Endpoint.gear("b", "in"))), d.linksRemoved());
        assertEquals("gears +1 -1 ~2, links +1 -1", d.toString());
        assertTrue(PatchDiff.of(next, next).isEmpty());
    }
}
