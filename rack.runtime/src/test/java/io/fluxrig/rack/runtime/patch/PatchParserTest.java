package io.fluxrig.rack.runtime.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatchParserTest {
    static final String EXAMPLE = """
            rack: edge            # optional, informational
            gears:
              tick:   { type: timer, config: { interval.ms: 500, text: hello } }
              shout:  { type: transform, config: { upper: [text] } }
              out:    { type: log }
            links:
              - tick.out -> shout.in
              - shout.out -> out.in
              - shout.error -> wire:errors
              - wire:requests -> shout.in
            """;

    @Test
    void parsesTheExample() {
        ParsedPatch p = PatchParser.parse(EXAMPLE);
        assertEquals(List.of(), p.problems());
        assertEquals("edge", p.patch().rack());
        assertEquals(List.of("tick", "shout", "out"), List.copyOf(p.patch().gears().keySet()));
        GearSpec tick = p.patch().gears().get("tick");
        assertEquals("timer", tick.type());
        assertEquals(Map.of("interval.ms", 500L, "text", "hello"), tick.config());
        assertEquals(List.of("text"), p.patch().gears().get("shout").config().get("upper"));
        assertEquals(4, p.patch().links().size());
        assertEquals(new Link(Endpoint.gear("shout", "error"), Endpoint.wire("errors")), p.patch().links().get(2));
        assertEquals(new Link(Endpoint.wire("requests"), Endpoint.gear("shout", "in")), p.patch().links().get(3));
        assertEquals("wire:requests -> shout.in", p.patch().links().get(3).toString());
    }

    @Test
    void syntaxErrorNamesLineAndColumn() {
        ParsedPatch p = PatchParser.parse("gears:\n  tick: { type: timer\nlinks: [\n");
        assertEquals(1, p.problems().size());
        assertTrue(p.problems().get(0).startsWith("YAML syntax error at line "), p.problems().get(0));
        assertTrue(p.problems().get(0).contains(", column "), p.problems().get(0));
    }

    @Test
    void syntaxErrorCarriesTheParsersExpectationAndWhereTheConstructBegan() {
        ParsedPatch p = PatchParser.parse("gears:\n  tick: { type: timer\nlinks: [\n");
        assertEquals(List.of("YAML syntax error at line 3, column 6: expected ',' or '}', but got : "
                + "(while parsing a flow mapping at line 2, column 9)"), p.problems());
    }

    @Test
    void collectsEveryStructuralProblemWithItsLine() {
        ParsedPatch p = PatchParser.parse("""
                gears:
                  Tick: { type: timer }
                  a: { config: { x: 1 } }
                  b: { type: log, colour: red }
                  b: { type: log }
                links:
                  - a.out b.in
                  - a.out -> wire:bad/name
                  - wire:x -> wire:y
                  - a.out -> b.in
                  - a.out -> b.in
                extra: 1
                """);
        List<String> pr = p.problems();
        assertTrue(pr.contains("line 5, column 3: duplicate key 'b' (first at line 4)"), pr.toString());
        assertTrue(pr.contains("line 2, column 9: gear name 'Tick' must match [a-z][a-z0-9_-]*"), pr.toString());
        assertTrue(pr.contains("line 3, column 6: gear 'a' has no type"), pr.toString());
        assertTrue(pr.contains("line 4, column 27: gear 'b': unknown key 'colour' (expected type, config)"), pr.toString());
        assertTrue(pr.contains("line 7, column 5: link 'a.out b.in': expected 'FROM -> TO'"), pr.toString());
        assertTrue(pr.stream().anyMatch(s -> s.startsWith("line 8, column 5: link 'a.out -> wire:bad/name': wire name")), pr.toString());
        assertTrue(pr.contains("line 9, column 5: link 'wire:x -> wire:y': connects two wires; one side must be a gear port"), pr.toString());
        assertTrue(pr.contains("line 11, column 5: link 'a.out -> b.in' is listed twice"), pr.toString());
        assertTrue(pr.contains("line 12, column 8: unknown key 'extra' (expected rack, group, gears, links)"), pr.toString());
        assertEquals(9, pr.size(), pr.toString());
    }

    @Test
    void emptyTextIsTheEmptyPatch() {
        ParsedPatch p = PatchParser.parse("");
        assertEquals(List.of(), p.problems());
        assertEquals(Patch.EMPTY, p.patch());
    }

    @Test
    void shorthandTypeOnly() {
        ParsedPatch p = PatchParser.parse("gears:\n  out: log\n");
        assertEquals(List.of(), p.problems());
        assertEquals("log", p.patch().gears().get("out").type());
    }

    @Test
    void aConsumerGroupNamesTheWireInputsOwnerAndIsARackName() {
        ParsedPatch p = PatchParser.parse("group: core\nlinks: [ wire:requests -> a.in ]\n");
        assertEquals(List.of(), p.problems());
        assertEquals("core", p.patch().group());
        assertEquals("core", p.patch().consumerOwner("core2"));
        assertEquals("core2", PatchParser.parse("links: []\n").patch().consumerOwner("core2"), "no group: the rack's own");
        assertEquals("edge7", PatchParser.parse("group: ${rack}\n", PatchVariables.ofRack("edge7")).patch().group());
        List<String> problems = PatchParser.parse("group: Core.1\n").problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("line 1, column 8: group 'Core.1': "), problems.get(0));
        assertTrue(PatchParser.parse("group: [a, b]\n").problems().get(0).contains("group must be a name"));
    }
}
