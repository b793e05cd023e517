package io.fluxrig.rack.runtime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wire templates and patch variables: parsing, load-time checks, per-message resolution. */
class WireTemplateTest {

    private static String parseError(String text) {
        return assertThrows(IllegalArgumentException.class, () -> WireTemplate.parse(text)).getMessage();
    }

    @Test
    void parsesLiteralsAndKeys() {
        WireTemplate t = WireTemplate.parse("auth.responses.${meta.reply.rack}");
        assertEquals(List.of("auth.responses.", ""), t.literals());
        assertEquals(List.of("reply.rack"), t.keys());
        WireTemplate two = WireTemplate.parse("${meta.region}.replies.${meta.rack}-in");
        assertEquals(List.of("region", "rack"), two.keys());
        assertEquals("eu.replies.edge-1-in", two.resolve(Map.of("region", "eu", "rack", "edge-1")::get));
    }

    @Test
    void refusesBadTemplatesSayingWhy() {
        assertEquals("placeholder at offset 5 is not closed with '}'", parseError("resp.${meta.rack"));
        assertEquals("placeholder '${rack}' is not ${meta.KEY}", parseError("resp.${rack}"));
        assertEquals("placeholder '${meta.}': meta key '' must be letters, digits, '-', '_', single dots between",
                parseError("resp.${meta.}"));
        assertEquals("'resp/' outside placeholders must be letters, digits, '.', '-', '_'", parseError("resp/${meta.a}"));
        assertEquals("no value makes a valid wire name (e.g. 'resp..x'): tokens must be separated by single dots",
                parseError("resp..${meta.a}"));
        assertEquals("no value makes a valid wire name (e.g. 'x.'): tokens must be separated by single dots",
                parseError("${meta.a}."));
    }

    @Test
    void resolutionNamesTheKeyOfAMissingOrIllegalValue() {
        WireTemplate t = WireTemplate.parse("resp.${meta.reply.rack}");
        assertEquals("resp.edge.eu-1", t.resolve(Map.of("reply.rack", "edge.eu-1")::get));
        assertEquals("wire:resp.${meta.reply.rack}: the message has no meta 'reply.rack'",
                assertThrows(IllegalArgumentException.class, () -> t.resolve(k -> null)).getMessage());
        for (String bad : new String[] {"", "a b", "a..b", ".a", "a>", "*", "x".repeat(65)}) {
            String m = assertThrows(IllegalArgumentException.class, () -> t.resolve(k -> bad)).getMessage();
            assertTrue(m.startsWith("wire:resp.${meta.reply.rack}: meta 'reply.rack' = '"), m);
            assertTrue(m.endsWith("is not a wire name part (letters, digits, '-', '_', single dots between, at most 64 characters)"), m);
        }
        assertEquals("resp." + "x".repeat(64), t.resolve(k -> "x".repeat(64)));
    }

    @Test
    void patchVariablesAreReplacedInConfigValuesAndWireNames() {
        ParsedPatch p = PatchParser.parse("""
                gears:
                  stamp: { type: transform, config: { meta: [ "reply.rack=${rack}", "lit=$${rack}" ], text: "${rack}" } }
                links:
                  - wire:auth.responses.${rack} -> stamp.in
                  - stamp.out -> wire:auth.requests
                  - stamp.error -> wire:errors.${rack}.${meta.reply.rack}
                """, PatchVariables.ofRack("edge-1"));
        assertEquals(List.of(), p.problems());
        GearSpec stamp = p.patch().gears().get("stamp");
        assertEquals(List.of("reply.rack=edge-1", "lit=${rack}"), stamp.config().get("meta"));
        assertEquals("edge-1", stamp.config().get("text"));
        assertEquals(Endpoint.wire("auth.responses.edge-1"), p.patch().links().get(0).from());
        Endpoint target = p.patch().links().get(2).to();
        assertEquals("errors.edge-1.${meta.reply.rack}", target.wire());
        assertTrue(target.isTemplate());
        assertFalse(p.patch().links().get(1).to().isTemplate());
    }

    @Test
    void badVariablesAndTemplatesAreListedWithTheirPlace() {
        ParsedPatch p = PatchParser.parse("""
                gears:
                  a: { type: transform, config: { set: [ "x=${nope}" ], text: "${meta.a}" } }
                links:
                  - wire:in.${meta.reply.rack} -> a.in
                  - a.out -> wire:out.${meta.reply.rack
                  - a.error -> wire:err.${rack}
                  - a.out -> wire:x/${meta.y}
                """, PatchVariables.ofRack("core"));
        assertEquals(List.of(
                "line 2, column 42: gear 'a': config set: unknown patch variable '${nope}' (known: rack; write $${ for a literal ${)",
                "line 2, column 63: gear 'a': config text: '${meta.a}' (a per-message value) is allowed only in the wire name of a link target",
                "line 4, column 5: link 'wire:in.${meta.reply.rack} -> a.in': '${meta.reply.rack}' (a per-message value) is allowed only in the wire name of a link target",
                "line 5, column 5: link 'a.out -> wire:out.${meta.reply.rack': '${' at offset 4 is not closed with '}' (write $${ for a literal ${)",
                "line 7, column 5: link 'a.out -> wire:x/${meta.y}': wire template 'x/${meta.y}': 'x/' outside placeholders must be letters, digits, '.', '-', '_'"),
                p.problems());
        List<String> noVariables = PatchParser.parse("links:\n  - wire:in.${rack} -> a.in\n").problems();
        assertEquals(List.of("line 2, column 5: link 'wire:in.${rack} -> a.in': unknown patch variable '${rack}'"
                + " (known: none; write $${ for a literal ${)"), noVariables);
    }
}
