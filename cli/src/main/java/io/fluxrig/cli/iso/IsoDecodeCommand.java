package io.fluxrig.cli.iso;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Console;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.IsoMessage;
import io.fluxrig.iso8583.Masking;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code iso decode}: one hex message per line on stdin to one JSON line per message on stdout,
 * {@code {"mti":"0200","2":"411111******1111",...}}, sensitive values masked unless
 * {@code --unmasked}. A line that fails gives {@code {"line":N,"error":"field 35: ... at offset 112"}}
 * in its place, so output lines stay aligned with input lines, and the exit code is 1.
 */
@Command(name = "decode", description = {"ISO 8583 hex lines on stdin -> JSON lines (sensitive fields masked)",
        "Reads one hex-encoded ISO 8583 message per line (blank lines skipped) and writes one JSON line per message: "
                + "\"mti\" and the fields by number; binary values as hex, DE 55 as a list of {tag, value}. PAN shows "
                + "first 6 and last 4, track/PIN/CVV show ****, unless --unmasked. A line that fails prints "
                + "{\"line\":N,\"error\":\"...\"} naming field, offset and reason; the exit code is then 1."})
public final class IsoDecodeCommand implements Callable<Integer> {
    private final JsonFactory json = new JsonFactory();
    private final Console console;

    @Mixin
    SpecOption spec;

    @Option(names = "--unmasked", description = "show PAN, track, PIN and CVV values in clear")
    boolean unmasked;

    IsoDecodeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        IsoCodec codec = IsoCodec.of(spec.resolve());
        BufferedReader in = new BufferedReader(new InputStreamReader(console.in(), StandardCharsets.US_ASCII));
        int failed = 0;
        int lineNo = 0;
        for (String line; (line = in.readLine()) != null; ) {
            lineNo++;
            String hex = line.strip().replace(" ", "");
            if (hex.isEmpty()) {
                continue;
            }
            try {
                byte[] bytes = parseHex(hex);
                console.out().println(toJson(codec, codec.decode(bytes), unmasked));
            } catch (IsoException | IllegalArgumentException e) {
                failed++;
                console.out().println(error(lineNo, e.getMessage()));
            }
        }
        return failed == 0 ? Exit.OK : Exit.FAILED;
    }

    private static byte[] parseHex(String hex) {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an even number of hex digits");
        }
    }

    private String toJson(IsoCodec codec, IsoMessage m, boolean unmasked) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = json.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("mti", m.mti());
            for (Map.Entry<Integer, Object> e : m.fields().entrySet()) {
                g.writeFieldName(e.getKey().toString());
                write(g, Masking.display(codec.spec().field(e.getKey()), e.getValue(), unmasked));
            }
            g.writeEndObject();
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                    g.writeFieldName(e.getKey().toString());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else {
            g.writeString(String.valueOf(v));
        }
    }

    private String error(int lineNo, String message) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = json.createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("line", lineNo);
            g.writeStringField("error", message);
            g.writeEndObject();
        }
        return w.toString();
    }
}
