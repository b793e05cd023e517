package io.fluxrig.gear.json.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each transform through a one-rule mapping, the year rule, and refusal of bad mapping files. */
class TransformsAndLoadingTest {
    private final MappingLoader loader = new MappingLoader();

    private Object one(String source, String transforms, FluxMsg msg) throws Exception {
        String doc = "{\"name\":\"t\",\"rules\":[{\"target\":\"/out\",\"source\":\"" + source + "\",\"transforms\":" + transforms + "}]}";
        return loader.parse("test", doc.getBytes(StandardCharsets.UTF_8), false).apply(msg).get("out");
    }

    private static FluxMsg data(Object... kv) {
        FluxMsg.Builder b = FluxMsg.builder().ts(ShippedMappingsTest.nanos("2026-03-14T10:15:31Z"));
        for (int i = 0; i < kv.length; i += 2) {
            b.data((String) kv[i], kv[i + 1]);
        }
        return b.build();
    }

    @Test
    void padAndTrim() throws Exception {
        assertEquals("000000012345", one("v", "[{\"op\":\"pad\",\"side\":\"left\",\"char\":\"0\",\"length\":12}]", data("v", 12345L)));
        assertEquals("T1      ", one("v", "[{\"op\":\"pad\",\"side\":\"right\",\"length\":8}]", data("v", "T1")));
        assertEquals("12345", one("v", "[{\"op\":\"trim\",\"side\":\"left\",\"char\":\"0\"}]", data("v", "00012345")));
        assertEquals("T1", one("v", "[{\"op\":\"trim\",\"side\":\"right\"}]", data("v", "T1    ")));
        assertEquals("x", one("v", "[{\"op\":\"trim\"}]", data("v", "  x  ")));
        GearRejection r = assertThrows(GearRejection.class,
                () -> one("v", "[{\"op\":\"pad\",\"side\":\"left\",\"length\":3}]", data("v", "1234")));
        assertEquals("json.map t: /out (from data v): 4 characters, longer than the pad length 3", r.getMessage());
    }

    @Test
    void minorUnitsAndDecimals() throws Exception {
        assertEquals(new BigDecimal("123.45"), one("a", "[{\"op\":\"minor-to-decimal\",\"currency\":\"c\"}]", data("a", "000000012345", "c", "978")));
        assertEquals(new BigDecimal("12.345"), one("a", "[{\"op\":\"minor-to-decimal\",\"exponent\":3}]", data("a", 12345L)));
        assertEquals(12345L, one("a", "[{\"op\":\"decimal-to-minor\",\"currency\":\"c\"}]", data("a", "123.45", "c", "EUR")));
        assertEquals(12300L, one("a", "[{\"op\":\"decimal-to-minor\",\"currency\":\"c\"}]", data("a", new BigDecimal("123"), "c", 840L)));
        assertEquals(500L, one("a", "[{\"op\":\"decimal-to-minor\",\"currency\":\"meta:cur\"}]",
                data("a", "500").toBuilder().meta("cur", "JPY").build()));
        assertEquals(12345L, one("a", "[{\"op\":\"decimal-to-minor\",\"currency\":\"c\"}]", data("a", "12.345", "c", "48")));
        GearRejection r = assertThrows(GearRejection.class,
                () -> one("a", "[{\"op\":\"decimal-to-minor\",\"currency\":\"c\"}]", data("a", "1,5", "c", "840")));
        assertTrue(r.getMessage().endsWith("not a number: '1,5'"), r.getMessage());
        r = assertThrows(GearRejection.class, () -> one("a", "[{\"op\":\"decimal-to-minor\",\"currency\":\"c\"}]", data("a", "1.5")));
        assertTrue(r.getMessage().endsWith("currency data c is missing"), r.getMessage());
    }

    @Test
    void currencyCodes() throws Exception {
        assertEquals("USD", one("c", "[{\"op\":\"currency\",\"to\":\"alpha\"}]", data("c", "840")));
        assertEquals("048", one("c", "[{\"op\":\"currency\",\"to\":\"numeric\"}]", data("c", "BHD")));
        assertEquals("392", one("c", "[{\"op\":\"currency\",\"to\":\"numeric\"}]", data("c", 392L)));
    }

    @Test
    void iso8583DatesAndTimes() throws Exception {
        String to = "[{\"op\":\"to-iso8601\",\"format\":\"%s\"}]";
        String from = "[{\"op\":\"from-iso8601\",\"format\":\"%s\"}]";
        assertEquals("2026-03-14T10:15:30Z", one("v", String.format(to, "MMDDhhmmss"), data("v", "0314101530")));
        assertEquals("23:59:59", one("v", String.format(to, "hhmmss"), data("v", "235959")));
        assertEquals("2026-03-14", one("v", String.format(to, "MMDD"), data("v", "0314")));
        assertEquals("0314101530", one("v", String.format(from, "MMDDhhmmss"), data("v", "2026-03-14T12:15:30+02:00")));
        assertEquals("101530", one("v", String.format(from, "hhmmss"), data("v", "10:15:30")));
        assertEquals("0314", one("v", String.format(from, "MMDD"), data("v", "2026-03-14")));
        GearRejection r = assertThrows(GearRejection.class, () -> one("v", String.format(to, "MMDDhhmmss"), data("v", "1332101530")));
        assertTrue(r.getMessage().contains("not a valid MMDDhhmmss: '1332101530'"), r.getMessage());
        r = assertThrows(GearRejection.class, () -> one("v", String.format(from, "MMDDhhmmss"), data("v", "2026-03-14T10:15:30")));
        assertTrue(r.getMessage().contains("with an offset"), r.getMessage());
    }

    @Test
    void yearRulePicksTheNearestYear() throws Exception {
        java.time.Instant newYear = java.time.Instant.parse("2027-01-01T00:00:05Z");
        assertEquals("2026-12-31T23:59:59Z", IsoDates.toIso8601(IsoDates.Form.MMDDhhmmss, "1231235959", newYear));
        java.time.Instant newYearsEve = java.time.Instant.parse("2026-12-31T23:59:50Z");
        assertEquals("2027-01-01", IsoDates.toIso8601(IsoDates.Form.MMDD, "0101", newYearsEve));
        assertEquals("2028-02-29", IsoDates.toIso8601(IsoDates.Form.MMDD, "0229", java.time.Instant.parse("2028-02-28T00:00:00Z")));
        assertEquals("2024-02-29", IsoDates.toIso8601(IsoDates.Form.MMDD, "0229", java.time.Instant.parse("2025-01-10T00:00:00Z")));
    }

    @Test
    void lookupTextNumberConstantsOptionalAndDefaults() throws Exception {
        String table = "[{\"op\":\"lookup\",\"table\":{\"true\":\"00\",\"false\":\"05\"}}]";
        assertEquals("00", one("ok", table, data("ok", true)));
        assertEquals("99", one("v", "[{\"op\":\"lookup\",\"table\":{\"a\":1},\"default\":\"99\"}]", data("v", "zz")));
        GearRejection r = assertThrows(GearRejection.class, () -> one("v", "[{\"op\":\"lookup\",\"table\":{\"a\":1}}]", data("v", "zz")));
        assertTrue(r.getMessage().endsWith("'zz' is not in the lookup table [a]"), r.getMessage());
        assertEquals("12.50", one("v", "[{\"op\":\"text\"}]", data("v", new BigDecimal("12.50"))));
        assertEquals(42L, one("v", "[{\"op\":\"number\"}]", data("v", "42")));
        assertEquals(new BigDecimal("4.20"), one("v", "[{\"op\":\"number\"}]", data("v", "4.20")));

        String doc = "{\"name\":\"c\",\"rules\":[{\"target\":\"/channel\",\"value\":\"pos\"},"
                + "{\"target\":\"/a~1b/c~0d\",\"source\":\"meta:conn.id\"},"
                + "{\"target\":\"/opt\",\"source\":\"missing\",\"optional\":true},"
                + "{\"target\":\"/dflt\",\"source\":\"missing\",\"default\":null}]}";
        Map<String, Object> out = loader.parse("c", doc.getBytes(StandardCharsets.UTF_8), false)
                .apply(FluxMsg.builder().meta("conn.id", "c-1").build());
        assertEquals("pos", out.get("channel"));
        assertEquals(Map.of("c~d", "c-1"), out.get("a/b"));
        assertTrue(!out.containsKey("opt") && out.containsKey("dflt"), out.toString());
    }

    @Test
    void badMappingFileListsEveryProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, String.join("\n",
                "name: Bad Name",
                "extra: 1",
                "rules:",
                "  - target: amount",
                "    source: \"4\"",
                "  - target: /x",
                "    source: a",
                "    value: b",
                "  - target: /y",
                "    source: y",
                "    transforms:",
                "      - op: pad",
                "        side: middle",
                "      - op: explode",
                "      - {op: minor-to-decimal}",
                "      - {op: to-iso8601, format: YYYY}",
                "      - {op: trim, char: ab, colour: red}",
                "  - target: /y/z",
                "    source: z",
                "  - target: /y",
                "    value: 1",
                "  - just text",
                ""));
        MappingException e = assertThrows(MappingException.class, () -> loader.load(file));
        List<String> expected = List.of(
                "document: unknown key 'extra' (allowed: [description, name, rules])",
                "document: 'name' must be text matching [a-z0-9][a-z0-9_.-]*, found text",
                "rules[0]: target 'amount' is not a JSON Pointer (must start with /)",
                "rules[1] (/x): state exactly one of 'source' (data path or meta:key) or 'value' (a constant)",
                "rules[2] (/y): transforms[0]: 'side' must be one of [left, right], not 'middle'",
                "rules[2] (/y): transforms[0]: 'length' must be an integer 1..9999 (missing)",
                "rules[2] (/y): transforms[1]: unknown op 'explode' (trim, pad, minor-to-decimal, decimal-to-minor, currency, "
                        + "to-iso8601, from-iso8601, lookup, text, number)",
                "rules[2] (/y): transforms[2]: state exactly one of 'currency' (a source holding the currency code) or 'exponent'",
                "rules[2] (/y): transforms[3]: 'format' must be MMDDhhmmss, hhmmss or MMDD, not 'YYYY'",
                "rules[2] (/y): transforms[4]: 'char' must be exactly one character, not 'ab'",
                "rules[2] (/y): transforms[4]: unknown key 'colour' for op trim",
                "rules[5]: a rule must be an object, not text",
                "targets /y/z and /y overlap (one lies inside the other)");
        assertEquals(expected, e.problems());
        assertTrue(e.getMessage().startsWith("mapping " + file + " refused, 13 problems: document: unknown key"), e.getMessage());

        IllegalArgumentException activation = assertThrows(IllegalArgumentException.class,
                () -> new JsonMapGear(new ShippedMappingsTest.Config("", file.toString(), "data")));
        assertTrue(activation.getMessage().contains("13 problems"), activation.getMessage());
    }

    @Test
    void yamlMappingFileWorksAndSyntaxErrorsAreRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ok.yml");
        Files.writeString(file, "name: ok\nrules:\n  - {target: /code, source: \"39\", transforms: [{op: pad, side: left, char: \"0\", length: 2}]}\n");
        assertEquals(Map.of("code", "05"), loader.load(file).apply(FluxMsg.builder().data("39", "5").build()));

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"name\":\"x\",\"rules\":[}");
        MappingException e = assertThrows(MappingException.class, () -> loader.load(broken));
        assertTrue(e.getMessage().contains("not valid JSON at /rules"), e.getMessage());
        assertThrows(MappingException.class, () -> loader.load(dir.resolve("absent.json")));
    }

    @Test
    void shippedMappingsLoad() throws Exception {
        for (String name : MappingLoader.BUILT_IN) {
            assertEquals(name, loader.builtIn(name).name());
        }
    }
}
