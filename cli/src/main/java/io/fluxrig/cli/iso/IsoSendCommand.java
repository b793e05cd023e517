package io.fluxrig.cli.iso;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Progress;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code iso send}: drives an ISO 8583 server like a fleet of terminals (see {@link SendFleet})
 * and prints one summary (text, or one JSON object with {@code --json}). While it runs, and only
 * when stderr is a terminal, a live line shows sent, answered and TPS. Exit 0 when every request
 * was answered or timed out and nothing mismatched; 1 when anything was lost or mismatched (or a
 * terminal could not connect); 2 on usage errors.
 */
@Command(name = "send", description = {"terminal fleet / load generator: 0200s to an ISO 8583 server, summary with latency",
        "Opens C connections (terminals T0000001...), sends N realistic 0200 purchases in total (Luhn-valid test PANs, "
                + "unique STAN per terminal, unique RRN, ~15%% of amounts above 1000.00), pairs each 0210 with its request "
                + "(STAN, MTI, terminal, RRN) and prints sent, answered, approved, declined by response code, timed out, "
                + "mismatched, late, lost (sent - answered - timed out), TPS and latency p50/p99/p99.9/max.",
        "Each terminal's requests come from a Random seeded by its number, so a run is repeatable "
                + "(terminal T0000001's first card is 4761735455281230).",
        "While it runs, a live line on stderr shows sent, answered and TPS (only when stderr is a terminal).",
        "Exit 1 if anything was lost or mismatched."})
public final class IsoSendCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "P", description = "the server's port (1..65535), required")
    int port;
    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1", description = "the server's host (default ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--framing", paramLabel = "F", defaultValue = "binary2", converter = FramingConverter.class,
            description = "length prefix: binary2 or ascii4 (default ${DEFAULT-VALUE})")
    Framing framing;
    /** --count, --connections, --window (default 8), --rate. */
    @Mixin
    LoadOptions load;
    @Option(names = "--timeout-ms", paramLabel = "T", defaultValue = "5000", description = "a request unanswered after T ms is timed out (default ${DEFAULT-VALUE})")
    long timeout;
    @Option(names = "--dialect", paramLabel = "D", defaultValue = "iso87ascii", description = "built-in dialect or spec file (default ${DEFAULT-VALUE})")
    String dialect;
    @Option(names = "--json", description = "print the summary as one JSON object (for scripts)")
    boolean json;

    @Spec
    CommandSpec spec;

    private final Console console;

    IsoSendCommand(Console console) {
        this.console = console;
    }

    /** Framing by its id, with the ids in the error. */
    static final class FramingConverter implements ITypeConverter<Framing> {
        @Override
        public Framing convert(String value) {
            try {
                return Framing.of(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        check(port >= 1 && port <= 65535, "need --port 1..65535" + (port == 0 ? " (--port is missing)" : ", got " + port));
        started = System.nanoTime();
        load.check(spec);
        check(timeout >= 1, "--timeout-ms " + timeout + " must be at least 1");
        IsoCodec codec = IsoCodec.of(SpecOption.resolve("--dialect", dialect, spec));
        SendFleet.Options o = new SendFleet.Options(host, port, framing, codec, load.count(), load.connections(), load.rate(), timeout,
                load.window());
        SendFleet fleet = new SendFleet(o);
        SendFleet.Result r;
        try (Progress progress = Progress.onTerminal(console, () -> line(fleet))) {
            r = fleet.run();
        } catch (IOException e) {
            console.err().println("fluxrig iso send: " + host + ":" + port + ": " + e.getMessage());
            return Exit.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Exit.FAILED;
        }
        console.out().print(json ? json(o, r) + "\n" : summary(o, r));
        return r.lost() == 0 && r.mismatched() == 0 && r.duplicated() == 0 && r.sent() == load.count() ? Exit.OK : Exit.FAILED;
    }

    private void check(boolean ok, String problem) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }

    private long started;

    private String line(SendFleet fleet) {
        double s = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        long answered = fleet.answeredSoFar();
        return String.format(Locale.ROOT, "sent %d of %d  answered %d  %.0f TPS", fleet.sentSoFar(), load.count(), answered, answered / s);
    }

    /** @return the three-line text summary ({@code sent N  answered N ...}; {@code duplicated N} at the end of the second line only when not 0) */
    public static String summary(SendFleet.Options o, SendFleet.Result r) {
        long approved = r.byCode().getOrDefault("00", 0L);
        String declined = r.byCode().entrySet().stream().filter(e -> !e.getKey().equals("00"))
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" "));
        return String.format(Locale.ROOT, """
                iso send %s:%d %s %s, %d connections, window %d, rate %s
                sent %d  answered %d  approved %d  declined %d [%s]  timed-out %d  mismatched %d  late %d  lost %d%s
                tps %.1f  latency ms p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (%d samples, %.2f s)
                """, o.host(), o.port(), o.framing().id(), o.codec().spec().name(), o.connections(), o.window(),
                o.rate() > 0 ? String.valueOf(o.rate()) : "max", r.sent(), r.answered(), approved, r.answered() - approved, declined,
                r.timedOut(), r.mismatched(), r.late(), r.lost(),
                r.duplicated() > 0 ? "  duplicated " + r.duplicated() : "", r.answered() / r.seconds(), pct(r.latencyNanos(), 0.50),
                pct(r.latencyNanos(), 0.99), pct(r.latencyNanos(), 0.999), pct(r.latencyNanos(), 1.0), r.latencyNanos().length, r.seconds());
    }

    /**
     * The summary as one JSON object: {@code target}, the counters of the text form
     * ({@code sent, answered, approved, declined, byCode, timedOut, mismatched, late, lost}, and {@code duplicated}),
     * {@code tps}, {@code seconds} and {@code latencyMs} {p50, p99, p999, max, samples}.
     */
    static String json(SendFleet.Options o, SendFleet.Result r) throws IOException {
        long approved = r.byCode().getOrDefault("00", 0L);
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("host", o.host());
            g.writeNumberField("port", o.port());
            g.writeStringField("framing", o.framing().id());
            g.writeStringField("dialect", o.codec().spec().name());
            g.writeNumberField("connections", o.connections());
            g.writeNumberField("window", o.window());
            g.writeNumberField("rate", o.rate());
            g.writeNumberField("sent", r.sent());
            g.writeNumberField("answered", r.answered());
            g.writeNumberField("approved", approved);
            g.writeNumberField("declined", r.answered() - approved);
            g.writeObjectFieldStart("byCode");
            for (Map.Entry<String, Long> e : r.byCode().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("timedOut", r.timedOut());
            g.writeNumberField("mismatched", r.mismatched());
            g.writeNumberField("late", r.late());
            g.writeNumberField("lost", r.lost());
            g.writeNumberField("duplicated", r.duplicated());
            g.writeNumberField("tps", Math.round(r.answered() / r.seconds() * 10) / 10.0);
            g.writeNumberField("seconds", Math.round(r.seconds() * 100) / 100.0);
            g.writeObjectFieldStart("latencyMs");
            g.writeNumberField("p50", pct(r.latencyNanos(), 0.50));
            g.writeNumberField("p99", pct(r.latencyNanos(), 0.99));
            g.writeNumberField("p999", pct(r.latencyNanos(), 0.999));
            g.writeNumberField("max", pct(r.latencyNanos(), 1.0));
            g.writeNumberField("samples", r.latencyNanos().length);
            g.writeEndObject();
            g.writeEndObject();
        }
        return w.toString();
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1e6;
    }
}
