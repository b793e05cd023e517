package io.fluxrig.iso8583;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom dialects from files, without code; a bad spec is refused with every problem listed. */
class SpecLoadTest {
    private static final String YAML = """
            name: host-ebcdic
            description: EBCDIC text, BCD MTI, binary prefixes, tertiary bitmap
            mti: bcd
            bitmap: binary
            tertiary: true
            mandatory: { "0100": [2, 11] }
            fields:
              "2":   { type: n, length: LL19, encoding: bcd, prefix: binary, nibble: right-F, alias: pan, sensitivity: pan }
              "11":  { type: n, length: "6", encoding: ebcdic, alias: stan }
              "35":  { type: z, length: LL37, encoding: bcd, prefix: bcd, nibble: right-F, sensitivity: track }
              "43":  { type: ans, length: "10", encoding: ebcdic }
              "48":  { type: ans, length: LLLL2000, encoding: ebcdic, prefix: ebcdic }
              "96":  { type: b, length: "4", encoding: hex }
              "150": { type: an, length: LLL20, encoding: ascii, prefix: binary }
            """;

    @Test
    void yamlSpecWithEveryEncodingRoundTripsIncludingATertiaryBitmap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, YAML);
        MessageSpec spec = Dialects.load(file);
        assertEquals("host-ebcdic", spec.name());
        assertEquals(Nibble.RIGHT_F, spec.field(2).nibble());
        assertEquals(Padding.SPACES_RIGHT, spec.field(43).padding());
        IsoCodec codec = IsoCodec.of(spec);
        IsoMessage m = new IsoMessage("0100", Map.of(2, "411111111111111", 11, "000123", 35, "4111111111111111=251210",
                43, "Caf\u00e9 1", 48, "x".repeat(1500), 96, Bytes.fromHex("0a0b0c0d"), 150, "tertiary"));
        byte[] bytes = codec.encode(m);
        assertEquals("0100", HexFormat.of().formatHex(bytes, 0, 2));
        // primary bit 1, secondary bit 65 (tertiary present), tertiary bit 150
        assertEquals((byte) 0xC0, bytes[2]);
        assertEquals((byte) 0x80, bytes[10]);
        assertEquals("0f", HexFormat.of().formatHex(bytes, 26, 27)); // binary LL prefix: 15 digits
        IsoMessage back = codec.decode(bytes);
        assertEquals("Caf\u00e9 1    ", back.get(43));
        assertEquals(m.with(43, "Caf\u00e9 1    "), back);
        assertArrayEquals(bytes, codec.encode(back));
        RandomIso random = new RandomIso(7, false);
        for (int i = 0; i < 500; i++) {
            IsoMessage r = random.message(spec);
            assertEquals(r, codec.decode(codec.encode(r)));
        }
    }

    @Test
    void jsonSpecLoadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mini.json");
        Files.writeString(file, "{\"name\":\"mini\",\"fields\":{\"3\":{\"type\":\"n\",\"length\":6,\"alias\":\"processing_code\"}}}");
        MessageSpec spec = Dialects.load(file);
        assertEquals(3, spec.fieldByAlias("processing_code").number());
        assertEquals(Encoding.ASCII, spec.mtiEncoding());
        assertEquals(Encoding.HEX, spec.bitmapEncoding());
    }

    @Test
    void aBadSpecIsRefusedWithEveryProblemListed() {
        String bad = """
                {"name": "Bad Name", "mti": "hex", "bitmap": "bcd", "colour": "red",
                 "mandatory": {"010": [3], "0200": [99]},
                 "fields": {
                   "1":  {"type": "n", "length": "4"},
                   "2":  {"type": "q", "length": "LL19"},
                   "3":  {"type": "n", "length": "LL120"},
                   "4":  {"type": "ans", "length": "12", "encoding": "bcd"},
                   "5":  {"type": "b", "length": "8", "padding": "zeros-left"},
                   "6":  {"type": "n", "length": "6", "alias": "pan"},
                   "7":  {"type": "n", "length": "6", "alias": "pan"},
                   "8":  {"type": "ans", "length": "LL9", "tlv": true, "colour": 1},
                   "9":  {"type": "n", "length": "abc", "nibble": "middle", "sensitivity": "secret"}
                 }}""";
        SpecException e = assertThrows(SpecException.class, () -> Dialects.parse(bad, false, "bad.json"));
        List<String> expected = List.of(
                "unknown key 'colour'",
                "name: required",
                "mti: 'hex' is not one of [ascii, ebcdic, bcd]",
                "bitmap: 'bcd' is not one of [binary, hex]",
                "field 1: not a data field number",
                "field 2: type 'q' is not one of n, an, ans, b, z, xn",
                "field 3: length 120 must be 1..99 for a LL prefix",
                "field 4: encoding bcd does not fit type ans",
                "field 5: encoding ascii does not fit type b (use binary or hex)",
                "field 5: a binary field cannot be padded",
                "field 7: alias 'pan' is already used by field 6",
                "field 9: sensitivity 'secret' is not one of",
                "field 8: unknown key 'colour'",
                "field 8: tlv needs type b with binary encoding",
                "field 9: length 'abc' is not N",
                "field 9: nibble 'middle' is not one of",
                "mandatory: '010' is not a 4-digit MTI",
                "mandatory 010: 3 is not a field of this spec",
                "mandatory 0200: 99 is not a field of this spec");
        for (String p : expected) {
            assertTrue(e.problems().stream().anyMatch(x -> x.startsWith(p) || x.contains(p)), "missing problem '" + p + "' in\n" + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("spec bad.json refused, " + e.problems().size() + " problems:"), e.getMessage());
        assertEquals(expected.size(), e.problems().size(), e.getMessage());
    }

    @Test
    void syntaxErrorsAndRepeatedKeysAreProblemsToo() {
        SpecException syntax = assertThrows(SpecException.class, () -> Dialects.parse("{\"name\": ", false, "x.json"));
        assertTrue(syntax.problems().get(0).startsWith("syntax error"), syntax.getMessage());
        SpecException twice = assertThrows(SpecException.class, () -> Dialects.parse(
                "{\"name\":\"a\",\"name\":\"b\",\"fields\":{\"3\":{\"type\":\"n\",\"length\":\"6\"}}}", false, "x.json"));
        assertEquals(List.of("key 'name' appears twice"), twice.problems());
    }

    @Test
    void builtInsAreKnownByName() {
        assertEquals(List.of("iso87ascii", "iso87binary", "iso93ascii"), Dialects.builtInNames());
        for (String name : Dialects.builtInNames()) {
            MessageSpec spec = Dialects.builtIn(name);
            assertEquals(127, spec.fields().size(), name);
            assertEquals(2, spec.fieldByAlias("pan").number());
            assertEquals(Sensitivity.PAN, spec.field(2).sensitivity());
            assertTrue(spec.field(55).tlv());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dialects.builtIn("iso99"));
        assertEquals("unknown dialect 'iso99' (built in: iso87ascii, iso87binary, iso93ascii)", e.getMessage());
    }
}
