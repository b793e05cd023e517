package io.fluxrig.cli.iso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iso decode} and {@code iso encode} through {@link Main#run} with in-memory streams. */
class IsoCommandsTest {
    private static final String ASCII_0200 = "0200" + "7220000108800000" + "16" + "4761739001010119" + "000000" + "000000012345"
            + "0131235959" + "000123" + "06" + "123456" + "000000000123" + "TERM0001";
    private static final String HEX_0200 = HexFormat.of().withUpperCase().formatHex(ASCII_0200.getBytes(StandardCharsets.US_ASCII));

    private record Result(int code, String out, String err) {
    }

    private static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void decodeMasksThePanByDefault() {
        Result r = run(HEX_0200 + "\n", "iso", "decode");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"mti\":\"0200\",\"2\":\"476173******0119\",\"3\":\"000000\",\"4\":\"000000012345\",\"7\":\"0131235959\","
                + "\"11\":\"000123\",\"32\":\"123456\",\"37\":\"000000000123\",\"41\":\"TERM0001\"}\n", r.out());
    }

    @Test
    void unmaskedDecodeThenEncodeGivesBackTheSameHex() {
        Result decoded = run(HEX_0200 + "\n\n" + HEX_0200.toLowerCase() + "\n", "iso", "decode", "--unmasked");
        assertEquals(0, decoded.code(), decoded.err());
        assertTrue(decoded.out().contains("\"2\":\"4761739001010119\""), decoded.out());
        Result encoded = run(decoded.out(), "iso", "encode");
        assertEquals(0, encoded.code(), encoded.err());
        assertEquals(HEX_0200 + "\n" + HEX_0200 + "\n", encoded.out());
    }

    @Test
    void binaryDialectWithEmvRoundTrips() {
        String json = "{\"mti\":\"0100\",\"2\":\"411111111111111\",\"4\":\"100\",\"55\":[{\"tag\":\"9F26\",\"value\":\"0102030405060708\"},"
                + "{\"tag\":\"5A\",\"value\":\"4111111111111111\"}]}\n";
        Result encoded = run(json, "iso", "encode", "--spec", "iso87binary");
        assertEquals(0, encoded.code(), encoded.err());
        assertEquals("0100" + "5000000000000200" + "15" + "4111111111111110" + "000000000100" + "0021"
                + "9F26080102030405060708" + "5A084111111111111111\n", encoded.out());
        Result decoded = run(encoded.out(), "iso", "decode", "--spec", "iso87binary");
        assertEquals("{\"mti\":\"0100\",\"2\":\"411111*****1111\",\"4\":\"000000000100\",\"55\":[{\"tag\":\"9F26\",\"value\":\"0102030405060708\"},"
                + "{\"tag\":\"5A\",\"value\":\"411111******1111\"}]}\n", decoded.out());
    }

    @Test
    void aFailingLineGivesAnErrorLineInPlaceAndExitOne() {
        String bad = HexFormat.of().formatHex(("0200" + "0000000020000000" + "47" + "4".repeat(47)).getBytes(StandardCharsets.US_ASCII));
        Result r = run(HEX_0200 + "\n" + bad + "\nzz\n", "iso", "decode");
        assertEquals(1, r.code());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith("{\"mti\":\"0200\""));
        assertEquals("{\"line\":2,\"error\":\"field 35: LL length 47 exceeds maximum 37 at offset 20\"}", lines[1]);
        assertEquals("{\"line\":3,\"error\":\"not an even number of hex digits\"}", lines[2]);
    }

    @Test
    void encodeErrorsNameLineAndField() {
        Result r = run("{\"mti\":\"0200\",\"2\":\"4111111111111111111111\"}\n{\"2\":\"1\"}\n", "iso", "encode");
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertEquals("fluxrig iso encode: line 1: field 2: length 22 exceeds maximum 19\n"
                + "fluxrig iso encode: line 2: no \"mti\" text\n", r.err());
    }

    @Test
    void specFileAndUsageErrors(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("mini.json");
        Files.writeString(spec, "{\"name\":\"mini\",\"fields\":{\"11\":{\"type\":\"n\",\"length\":\"6\",\"alias\":\"stan\"}}}");
        Result r = run("{\"mti\":\"0800\",\"11\":\"42\"}\n", "iso", "encode", "--spec", spec.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(HexFormat.of().withUpperCase().formatHex("08000020000000000000000042".getBytes(StandardCharsets.US_ASCII)) + "\n", r.out());
        Result unknown = run("", "iso", "decode", "--spec", "nope");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("neither a built-in dialect (iso87ascii, iso87binary, iso93ascii) nor a spec file"), unknown.err());
        Result help = run("", "iso");
        assertTrue(help.out().contains("iso decode") && help.out().contains("iso encode"), help.out());
    }
}
