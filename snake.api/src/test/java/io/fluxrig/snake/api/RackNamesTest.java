package io.fluxrig.snake.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RackNamesTest {
    @Test
    void acceptsLowerCaseNamesUpTo63Characters() {
        for (String ok : new String[] {"a", "edge-1", "rack_2", "z" + "9".repeat(62), "a-b_c-0"}) {
            assertNull(RackNames.problem(ok), ok);
            assertTrue(RackNames.PATTERN.matcher(ok).matches(), ok);
        }
    }

    @Test
    void eachRefusalSaysWhy() {
        assertEquals("a rack name is required (" + RackNames.RULE + ")", RackNames.problem(null));
        assertEquals("a rack name is required (" + RackNames.RULE + ")", RackNames.problem(""));
        assertEquals("'Edge' must start with a lower-case letter (a-z), not 'E'", RackNames.problem("Edge"));
        assertEquals("'1rack' must start with a lower-case letter (a-z), not '1'", RackNames.problem("1rack"));
        assertEquals("'edge.1' has '.' at offset 4; only lower-case letters, digits, '_' and '-' are allowed",
                RackNames.problem("edge.1"));
        assertEquals("'edGe' has 'G' at offset 2; only lower-case letters, digits, '_' and '-' are allowed",
                RackNames.problem("edGe"));
        assertEquals("'a b' has ' ' at offset 1; only lower-case letters, digits, '_' and '-' are allowed",
                RackNames.problem("a b"));
        String tooLong = "a".repeat(64);
        assertEquals("'" + tooLong + "' has 64 characters; at most 63", RackNames.problem(tooLong));
    }

    @Test
    void theProblemAndThePatternAgree() {
        for (String s : new String[] {"", "a", "A", "a.", "a/", "-a", "_a", "a".repeat(63), "a".repeat(64), "ab\n", "é"}) {
            assertEquals(RackNames.PATTERN.matcher(s).matches(), RackNames.valid(s), s);
        }
        assertFalse(RackNames.valid(null));
    }
}
