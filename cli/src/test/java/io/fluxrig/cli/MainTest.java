package io.fluxrig.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The CLI through {@link Main#run}, with in-memory streams. */
class MainTest {
    private record Result(int code, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sampleEncodesAndDecodeEncodeReproducesTheBytes() throws Exception {
        Result sample = run(new byte[0], "msg", "sample");
        assertEquals(0, sample.code(), sample.err());
        Result encoded = run(sample.out(), "msg", "encode");
        assertEquals(0, encoded.code(), encoded.err());
        FluxMsg m = FluxMsgCbor.standard().decode(encoded.out());
        assertTrue(m.raw().length() > 250 && m.raw().length() < 350, "raw ISO 8583 size " + m.raw().length());
        assertTrue(m.meta().size() >= 12 && m.data().size() >= 25);
        assertEquals("411111******1111", m.getString("card.pan"));
        assertEquals(2, m.path().size());

        Result decoded = run(encoded.out(), "msg", "decode", "--unmasked");
        assertEquals(0, decoded.code(), decoded.err());
        assertArrayEquals(encoded.out(), run(decoded.out(), "msg", "encode").out(), "decode --unmasked | encode");
        assertEquals(sample.text(), decoded.text(), "decode of the sample's CBOR is the sample");
    }

    @Test
    void hexInAndOut() {
        Result sample = run(new byte[0], "msg", "sample");
        Result hex = run(sample.out(), "msg", "encode", "--hex");
        String text = hex.text();
        assertTrue(text.endsWith("\n") && text.trim().matches("[0-9a-f]+"), text);
        byte[] raw = run(sample.out(), "msg", "encode").out();
        assertEquals(HexFormat.of().formatHex(raw), text.trim());
        String spaced = text.trim().replaceAll("(..)", "$1 ");
        Result decoded = run(spaced.getBytes(StandardCharsets.US_ASCII), "msg", "decode", "--unmasked");
        assertEquals(0, decoded.code(), decoded.err());
        assertEquals(sample.text(), decoded.text());
    }

    @Test
    void decodeMasksCardDataUnlessAskedNotTo() {
        String pan = "4761739001010119";
        String json = "{\"id\":\"019d3f2a-6b1c-7e42-9a5d-3c8e1f0b7a64\",\"ts\":1,\"meta\":{\"note\":\"card " + pan + "\"},"
                + "\"data\":{\"2\":\"" + pan + "\",\"35\":\"" + pan + "=2512\",\"amount\":\"12.00\","
                + "\"55\":[{\"tag\":\"5A\",\"value\":\"" + pan + "\"}]}}";
        Result cbor = run(json.getBytes(StandardCharsets.UTF_8), "msg", "encode");
        assertEquals(0, cbor.code(), cbor.err());
        Result masked = run(cbor.out(), "msg", "decode");
        assertEquals(0, masked.code(), masked.err());
        assertFalse(masked.text().contains(pan), masked.text());
        assertTrue(masked.text().contains("476173******0119"), masked.text());
        assertTrue(masked.text().contains("\"35\" : \"****\""), masked.text());
        assertTrue(masked.text().contains("12.00"), "other data as it is: " + masked.text());
        assertEquals("fluxrig msg decode: card data masked (--unmasked prints the envelope as it is)\n", masked.err());
        Result clear = run(cbor.out(), "msg", "decode", "--unmasked");
        assertTrue(clear.text().contains("\"2\" : \"" + pan + "\""), clear.text());
        assertEquals("", clear.err());
    }

    @Test
    void decodeErrorsGoToStderrWithOffset() {
        Result r = run("a2 6269 64 00".getBytes(StandardCharsets.US_ASCII), "msg", "decode");
        assertEquals(1, r.code());
        assertEquals(0, r.out().length);
        assertEquals("fluxrig msg decode: offset 4: \"id\" must be tag 37 (UUID), found unsigned integer\n", r.err());
        Result odd = run("a2f".getBytes(StandardCharsets.US_ASCII), "msg", "decode");
        assertEquals(1, odd.code());
        assertEquals("fluxrig msg decode: hex input has an odd number of digits\n", odd.err());
        Result trailing = run(new byte[] {(byte) 0xa0, 0}, "msg", "decode");
        assertEquals("fluxrig msg decode: offset 0: missing required key \"id\"\n", trailing.err());
    }

    @Test
    void encodeErrorsNameTheJsonPath() {
        Result r = run("{\"id\":\"x\",\"ts\":1}".getBytes(StandardCharsets.UTF_8), "msg", "encode");
        assertEquals(1, r.code());
        assertEquals("fluxrig msg encode: $.id: not a UUID (8-4-4-4-12 hex digits): \"x\"\n", r.err());
    }

    @Test
    void helpAndUsage() {
        Result top = run(new byte[0], "--help");
        assertEquals(0, top.code());
        assertTrue(top.text().contains("msg encode") && top.text().contains("msg decode") && top.text().contains("msg sample"));
        Result group = run(new byte[0], "msg");
        assertEquals(0, group.code());
        assertTrue(group.text().contains("msg sample"));
        for (String cmd : new String[] {"encode", "decode", "sample"}) {
            Result h = run(new byte[0], "msg", cmd, "--help");
            assertEquals(0, h.code());
            assertTrue(h.text().startsWith("usage: fluxrig msg " + cmd), h.text());
        }
        Result unknown = run(new byte[0], "nope");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("fluxrig: unknown command: nope"));
        Result badOption = run(new byte[0], "msg", "encode", "--bin");
        assertEquals(2, badOption.code());
        assertEquals("fluxrig msg encode: unknown option --bin\n", badOption.err());
    }

    @Test
    void everyCommandHasADescriptionAndItsHelpNeverActs() {
        java.util.List<picocli.CommandLine> all = new java.util.ArrayList<>();
        java.util.Deque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(Main.commandLine(
                new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()), System.err))));
        while (!todo.isEmpty()) {
            picocli.CommandLine c = todo.pop();
            all.add(c);
            todo.addAll(c.getSubcommands().values());
        }
        assertTrue(all.size() >= 20, "commands: " + all.size());
        for (picocli.CommandLine c : all) {
            String qualified = c.getCommandSpec().qualifiedName();
            java.util.List<String> words = new java.util.ArrayList<>(java.util.List.of(qualified.split(" ")).subList(1, qualified.split(" ").length));
            // Options that would make the command act at once if --help were ignored (the issuer would serve forever).
            words.addAll(java.util.List.of("--help"));
            // picocli formats every help text with String.format; one it cannot format (a bare '%' before a
            // letter or a blank) is printed raw, with a warning on System.err as it is at that moment, not
            // on the run's stderr: so System.err is swapped for the call (this class's tests run one at a time).
            PrintStream jvmErr = System.err;
            ByteArrayOutputStream warnings = new ByteArrayOutputStream();
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            Result h;
            try {
                h = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                        () -> run(new byte[0], words.toArray(String[]::new)));
            } finally {
                System.setErr(jvmErr);
            }
            assertEquals(0, h.code(), qualified + ": " + h.err());
            assertTrue(h.text().startsWith("usage: " + qualified), h.text());
            assertTrue(c.getCommandSpec().usageMessage().description().length > 0, qualified + " has no description");
            assertEquals("", h.err(), qualified);
            assertEquals("", warnings.toString(StandardCharsets.UTF_8), qualified + ": a '%' in a help text must be written '%%'");
        }
        // The load options are one mixin: each command keeps its own window default.
        assertTrue(run(new byte[0], "demo", "--help").text().contains("requests in flight per terminal (default 1)"));
        assertTrue(run(new byte[0], "iso", "send", "--help").text().contains("requests in flight per terminal (default 8)"));
        Result issuer = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> run(new byte[0], "issuer", "--port", "0", "--help"));
        assertEquals(0, issuer.code());
        assertTrue(issuer.text().contains("--slow-ms=MS") && issuer.text().contains("default 5000"), issuer.text());
    }

    @Test
    void aMisuseNamesTheOneOptionThatIsWrong() {
        Result r = run(new byte[0], "iso", "send", "--port", "1", "--count", "1");
        assertEquals(2, r.code());
        assertEquals("fluxrig iso send: --connections 50 exceeds --count 1\n", r.err());
        Result demo = run(new byte[0], "demo", "--count", "1");
        assertEquals(2, demo.code());
        assertEquals("fluxrig demo: --connections 50 exceeds --count 1\n", demo.err());
        Result demoPort = run(new byte[0], "demo", "--base-port", "65530");
        assertEquals("fluxrig demo: --base-port 65530 is not a port (1..65528)\n", demoPort.err());
        Result framing = run(new byte[0], "iso", "send", "--port", "1", "--framing", "ascii2");
        assertEquals("fluxrig iso send: --framing: framing 'ascii2' is not binary2 or ascii4\n", framing.err());
        Result number = run(new byte[0], "iso", "send", "--port", "1", "--window", "many");
        assertEquals("fluxrig iso send: not a number: --window 'many'\n", number.err());
        Result missing = run(new byte[0], "deploy", "edge", "--timeout-s");
        assertTrue(missing.err().startsWith("fluxrig deploy: --timeout-s needs a value\n"), missing.err());
    }
}
