package io.fluxrig.cli.iso;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Console;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.iso8583.IsoException;
import io.fluxrig.iso8583.IsoMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code iso encode}: JSON lines ({@code {"mti":"0200","2":"4111...","55":[{"tag":"9F26","value":"..."}]}})
 * on stdin to one upper-case hex line per message. The format is what {@code iso decode --unmasked}
 * prints; binary fields take hex text. A failing line is reported on stderr with its number and
 * the exit code is 1.
 */
@Command(name = "encode", description = {"JSON lines (fields by number) on stdin -> ISO 8583 hex lines",
        "Reads one JSON object per line: \"mti\" and fields by number (text; binary fields as hex; DE 55 as a list of "
                + "{tag, value[, length_bytes]} or hex) - the form 'iso decode --unmasked' prints - and writes one "
                + "upper-case hex line per message. Errors go to stderr as 'fluxrig iso encode: line N: field F: reason', exit 1."})
public final class IsoEncodeCommand implements Callable<Integer> {
    private final JsonFactory json = new JsonFactory();
    private final Console console;

    @Mixin
    SpecOption spec;

    IsoEncodeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        IsoCodec codec = IsoCodec.of(spec.resolve());
        BufferedReader in = new BufferedReader(new InputStreamReader(console.in(), StandardCharsets.UTF_8));
        int failed = 0;
        int lineNo = 0;
        for (String line; (line = in.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                console.out().println(HexFormat.of().withUpperCase().formatHex(codec.encode(parse(line))));
            } catch (IsoException | IOException e) {
                failed++;
                console.err().println("fluxrig iso encode: line " + lineNo + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return failed == 0 ? Exit.OK : Exit.FAILED;
    }

    private IsoMessage parse(String line) throws IOException {
        try (JsonParser p = json.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            String mti = null;
            Map<Integer, Object> fields = new TreeMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                Object value = value(p, p.nextToken());
                if (key.equals("mti")) {
                    mti = value instanceof String s ? s : null;
                } else if (key.matches("[0-9]{1,3}")) {
                    fields.put(Integer.parseInt(key), value);
                } else {
                    throw new IOException("unknown key '" + key + "' (expected mti and field numbers)");
                }
            }
            if (mti == null) {
                throw new IOException("no \"mti\" text");
            }
            return new IsoMessage(mti, fields);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    list.add(value(p, n));
                }
                return list;
            }
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    map.put(k, value(p, p.nextToken()));
                }
                return map;
            }
            default -> throw new IOException("unsupported JSON value " + t);
        }
    }
}
