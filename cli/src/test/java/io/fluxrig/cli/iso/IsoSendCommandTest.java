package io.fluxrig.cli.iso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.Main;
import io.fluxrig.gear.Gear;
import io.fluxrig.iso8583.gear.CodecConfig;
import io.fluxrig.iso8583.gear.CodecGear;
import io.fluxrig.iso8583.gear.ResponderConfig;
import io.fluxrig.iso8583.gear.ResponderGear;
import io.fluxrig.iso8583.gear.ServerConfig;
import io.fluxrig.iso8583.gear.ServerGear;
import io.fluxrig.testsupport.RecordingContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code iso send} against iso8583.server → decode → responder → encode → server, wired in plain Java on loopback. */
class IsoSendCommandTest {

    static <A extends Annotation> A config(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> switch (m.getName()) {
            case "annotationType" -> type;
            case "hashCode" -> 0;
            case "equals" -> p == a[0];
            case "toString" -> type.getSimpleName();
            default -> overrides.containsKey(m.getName()) ? overrides.get(m.getName()) : m.getDefaultValue();
        }));
    }

    private static String run(String framing, String... args) throws Exception {
        ServerGear server = new ServerGear(config(ServerConfig.class, Map.of("port", 0, "framing", framing)));
        CodecGear decode = new CodecGear(config(CodecConfig.class, Map.of("direction", "decode")));
        CodecGear encode = new CodecGear(config(CodecConfig.class, Map.of("direction", "encode")));
        ResponderGear responder = new ResponderGear(config(ResponderConfig.class, Map.of()));
        // Each gear's context links its out port to the next gear's in port, as the rack links a patch.
        RecordingContext srv = new RecordingContext("srv");
        RecordingContext dec = new RecordingContext("dec");
        RecordingContext issuer = new RecordingContext("issuer");
        RecordingContext enc = new RecordingContext("enc");
        srv.link(Gear.PORT_OUT, decode, dec);
        dec.link(Gear.PORT_OUT, responder, issuer);
        issuer.link(Gear.PORT_OUT, encode, enc);
        enc.link(Gear.PORT_OUT, server, srv);
        List<RecordingContext> contexts = List.of(srv, dec, issuer, enc);
        server.open(srv);
        try {
            String[] all = new String[args.length + 6];
            all[0] = "iso";
            all[1] = "send";
            all[2] = "--port";
            all[3] = String.valueOf(server.localPort());
            all[4] = "--framing";
            all[5] = framing;
            System.arraycopy(args, 0, all, 6, args.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(all, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, text + err.toString(StandardCharsets.UTF_8));
            for (RecordingContext c : contexts) {
                assertEquals(List.of(), c.rejections(), c.instance() + ": what a link threw");
                assertEquals(List.of(), c.emitted(), c.instance() + ": emits on a port without a link (error)");
            }
            return text;
        } finally {
            server.close();
        }
    }

    private static long number(String text, String label) {
        Matcher m = Pattern.compile(label + " (\\d+)").matcher(text);
        assertTrue(m.find(), label + " in " + text);
        return Long.parseLong(m.group(1));
    }

    @Test
    void everyRequestIsAnsweredAndPairedAsFastAsPossible() throws Exception {
        String text = run("binary2", "--count", "600", "--connections", "6", "--timeout-ms", "20000");
        assertEquals(600, number(text, "sent"));
        assertEquals(600, number(text, "answered"));
        assertEquals(0, number(text, "timed-out"));
        assertEquals(0, number(text, "mismatched"));
        assertEquals(0, number(text, "lost"));
        long approved = number(text, "approved");
        long declined = number(text, "declined");
        assertEquals(600, approved + declined);
        assertTrue(approved > 0 && declined > 0, "amounts spread over the 1000.00 limit: " + text);
        assertTrue(text.contains("[51:" + declined + "]"), text);
        assertTrue(text.contains("p99.9"), text);
    }

    @Test
    void jsonSummaryIsOneObjectForScripts() throws Exception {
        String text = run("binary2", "--count", "50", "--connections", "2", "--timeout-ms", "20000", "--json");
        assertEquals(1, text.lines().count(), "one line: " + text);
        com.fasterxml.jackson.databind.JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        assertEquals(50, s.get("sent").asLong(), text);
        assertEquals(50, s.get("answered").asLong(), text);
        assertEquals(50, s.get("approved").asLong() + s.get("declined").asLong(), text);
        long byCode = 0;
        for (com.fasterxml.jackson.databind.JsonNode n : s.get("byCode")) {
            byCode += n.asLong();
        }
        assertEquals(50, byCode, text);
        assertEquals(0, s.get("lost").asLong() + s.get("timedOut").asLong() + s.get("mismatched").asLong(), text);
        assertEquals(2, s.get("connections").asInt(), text);
        assertEquals(50, s.at("/latencyMs/samples").asLong(), text);
    }

    @Test
    void pacedRunWithAsciiFraming() throws Exception {
        String text = run("ascii4", "--count", "100", "--connections", "4", "--rate", "500", "--timeout-ms", "20000");
        assertEquals(100, number(text, "answered"));
        assertEquals(0, number(text, "lost"));
        assertTrue(text.contains("rate 500.0"), text);
    }

    @Test
    void usageErrorsAndLuhnValidPans() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"iso", "send", "--count", "10"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("fluxrig iso send: need --port 1..65535"), err.toString(StandardCharsets.UTF_8));
        Random r = new Random(1);
        for (int i = 0; i < 100; i++) {
            String pan = Requests.luhnPan("476173", r);
            int sum = 0;
            for (int j = 0; j < 16; j++) {
                int d = pan.charAt(15 - j) - '0';
                sum += j % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
            }
            assertEquals(0, sum % 10, pan);
        }
    }
}
