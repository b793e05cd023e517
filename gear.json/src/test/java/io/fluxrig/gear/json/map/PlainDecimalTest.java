package io.fluxrig.gear.json.map;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written decimal check accepts exactly what the regular expression it replaces accepts. */
class PlainDecimalTest {
    private static final Pattern PLAIN = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    @Test
    void agreesWithThePatternOnEdgeCases() {
        for (String s : new String[] {"", "-", ".", "-.", "0", "-0", "12", "12.", ".5", "12.50", "-12.50", "1.2.3", "1e5", "+1",
            "12 ", " 12", "١٢", "00012.000", "--1", "1-", "9223372036854775808.1"}) {
            assertEquals(PLAIN.matcher(s).matches(), Transforms.plainDecimal(s), "'" + s + "'");
        }
    }
}
