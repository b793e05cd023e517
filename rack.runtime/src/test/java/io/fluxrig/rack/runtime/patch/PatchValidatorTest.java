package io.fluxrig.rack.runtime.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.rack.runtime.catalog.ConfigAttribute;
import io.fluxrig.rack.runtime.catalog.GearTypeInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The validator against a hand-built catalog (no framework). */
class PatchValidatorTest {
    private static final int STRING = 1;
    private static final int LONG = 2;
    private static final int INTEGER = 3;
    private static final int BOOLEAN = 11;

    static Map<String, GearTypeInfo> catalog() {
        Map<String, GearTypeInfo> types = new TreeMap<>();
        types.put("timer", new GearTypeInfo("timer", List.of(), List.of("out"), "b 1", "", Map.of(
                "interval.ms", new ConfigAttribute("interval.ms", LONG, 0,
                        v -> Long.parseLong(v) < 1 ? "must be at least 1" : ""),
                "count", new ConfigAttribute("count", LONG, 0, v -> ""),
                "text", new ConfigAttribute("text", STRING, 0, v -> ""))));
        types.put("transform", new GearTypeInfo("transform", List.of("in"), List.of("out"), "b 1", "", Map.of(
                "upper", new ConfigAttribute("upper", STRING, Integer.MAX_VALUE, v -> ""),
                "level", new ConfigAttribute("level", INTEGER, 0, v -> ""),
                "strict", new ConfigAttribute("strict", BOOLEAN, 0, v -> ""))));
        types.put("log", new GearTypeInfo("log", List.of("in"), List.of(), "b 1", "", null));
        return types;
    }

    @Test
    void theExampleIsValidAndConfigIsConverted() {
        Validation v = PatchValidator.validate(PatchParserTest.EXAMPLE, catalog());
        assertEquals(List.of(), v.problems());
        assertTrue(v.ok());
        assertEquals(500L, v.configs().get("tick").get("interval.ms"));
        assertArrayEquals(new String[] {"text"}, (String[]) v.configs().get("shout").get("upper"));
    }

    @Test
    void conversionToDeclaredTypes() {
        Validation v = PatchValidator.validate("""
                gears:
                  t: { type: transform, config: { upper: a, level: "7", strict: "true" } }
                  l: { type: log, config: { anything: [1, 2] } }
                """, catalog());
        assertEquals(List.of(), v.problems());
        assertArrayEquals(new String[] {"a"}, (String[]) v.configs().get("t").get("upper"));
        assertEquals(7, v.configs().get("t").get("level"));
        assertEquals(Boolean.TRUE, v.configs().get("t").get("strict"));
        assertArrayEquals(new Long[] {1L, 2L}, (Long[]) v.configs().get("l").get("anything"));
    }

    @Test
    void listsEveryProblem() {
        Validation v = PatchValidator.validate("""
                gears:
                  tick: { type: timer, config: { interval.ms: 0, colour: red, count: abc } }
                  shout: { type: transform, config: { level: 1.5, strict: maybe, fluxrig.gear.instance: x } }
                  out: { type: logger }
                  sink: { type: log }
                links:
                  - tick.out -> shout.in
                  - tick.in -> shout.in
                  - shout.out -> tick.in
                  - shout.error -> nobody.in
                  - shout.out -> out.in
                  - sink.out -> wire:w
                  - wire:a -> sink.in
                  - wire:a -> sink.other
                """, catalog());
        List<String> p = v.problems();
        assertFalse(v.ok());
        assertTrue(v.unknownTypes());
        assertTrue(p.contains("gear 'tick': config interval.ms: '0': must be at least 1"), p.toString());
        assertTrue(p.contains("gear 'tick': unknown config key 'colour' (known: count, interval.ms, text)"), p.toString());
        assertTrue(p.contains("gear 'tick': config count: not an integer in range: 'abc'"), p.toString());
        assertTrue(p.contains("gear 'shout': config level: not an integer in range: '1.5'"), p.toString());
        assertTrue(p.contains("gear 'shout': config strict: not true or false: 'maybe'"), p.toString());
        assertTrue(p.contains("gear 'shout': config key 'fluxrig.gear.instance' is set by the rack"), p.toString());
        assertTrue(p.contains("gear 'out': unknown gear type 'logger' (known: log, timer, transform)"), p.toString());
        assertTrue(p.contains("link 'tick.in -> shout.in': gear 'tick' (timer) has no output port 'in' (outputs: out, error)"), p.toString());
        assertTrue(p.contains("link 'shout.out -> tick.in': gear 'tick' (timer) has no input port 'in' (inputs: none)"), p.toString());
        assertTrue(p.contains("link 'shout.error -> nobody.in': unknown gear 'nobody'"), p.toString());
        assertTrue(p.contains("link 'sink.out -> wire:w': gear 'sink' (log) has no output port 'out' (outputs: error)"), p.toString());
        assertTrue(p.contains("link 'wire:a -> sink.other': gear 'sink' (log) has no input port 'other' (inputs: in)"), p.toString());
        assertTrue(p.contains("link 'wire:a -> sink.other': gear 'sink' already reads wire 'a' (one subscription per wire and gear)"), p.toString());
        assertEquals(13, p.size(), p.toString());
    }

    @Test
    void parseProblemsComeFirstAndUnknownTypesFlagOnlyForTypes() {
        Validation v = PatchValidator.validate("gears:\n  a: { type: log }\nlinks:\n  - a.in -> \n", catalog());
        assertFalse(v.unknownTypes());
        assertEquals(1, v.problems().size(), v.problems().toString());
        assertTrue(v.problems().get(0).startsWith("line 4, column 5: link 'a.in ->'"), v.problems().toString());
    }
}
