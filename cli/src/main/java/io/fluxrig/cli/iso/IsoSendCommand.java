package io.fluxrig.cli.iso;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code iso send}: drives an ISO 8583 server like a fleet of terminals (see {@link SendFleet})
 * and prints one summary. Exit 0 when every request was answered or timed out and nothing
 * mismatched; 1 when anything was lost or mismatched (or a terminal could not connect); 2 on
 * usage errors.
 */
public final class IsoSendCommand implements Command {
    @Override
    public String name() {
        return "iso send";
    }

    @Override
    public String summary() {
        return "terminal fleet / load generator: 0200s to an ISO 8583 server, summary with latency";
    }

    @Override
    public String help() {
        return """
                usage: fluxrig iso send --port P [--host H] [--framing binary2|ascii4] [--count N] [--connections C]
                                        [--rate TPS] [--window W] [--timeout-ms T] [--dialect D]
                  Opens C connections (terminals T0000001...), sends N realistic 0200 purchases in total
                  (Luhn-valid test PANs, unique STAN per terminal, unique RRN, ~15% of amounts above
                  1000.00), pairs each 0210 with its request (STAN, MTI, terminal, RRN) and prints sent,
                  answered, approved, declined by response code, timed out, mismatched, late, lost
                  (sent - answered - timed out), TPS and latency p50/p99/p99.9/max.
                  --rate 0 (default) sends as fast as the in-flight window (W per connection, default 8)
                  allows; with a rate, latency counts from the intended send time (coordinated omission).
                  Defaults: host 127.0.0.1, framing binary2, count 20000, connections 50, timeout 5000 ms,
                  dialect iso87ascii (or a spec file). Exit 1 if anything was lost or mismatched.""";
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        String host = "127.0.0.1";
        String dialect = "iso87ascii";
        Framing framing = Framing.BINARY2;
        long count = 20000;
        long timeout = 5000;
        int port = -1;
        int connections = 50;
        int window = 8;
        double rate = 0;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (i + 1 >= args.size()) {
                    return usage(console, "option " + a + " needs a value");
                }
                String v = args.get(++i);
                switch (a) {
                    case "--host" -> host = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--framing" -> framing = Framing.of(v);
                    case "--count" -> count = Long.parseLong(v);
                    case "--connections" -> connections = Integer.parseInt(v);
                    case "--rate" -> rate = Double.parseDouble(v);
                    case "--window" -> window = Integer.parseInt(v);
                    case "--timeout-ms" -> timeout = Long.parseLong(v);
                    case "--dialect" -> dialect = v;
                    default -> {
                        return usage(console, "unknown option " + a);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return usage(console, e.getMessage());
        }
        if (port < 1 || port > 65535 || count < 1 || count > 50_000_000 || connections < 1 || connections > count || rate < 0
                || window < 1 || timeout < 1) {
            return usage(console, "need --port 1..65535, --count 1..50000000, --connections 1..count, --rate >= 0, --window >= 1, --timeout-ms >= 1");
        }
        SpecOption.Parsed spec = SpecOption.parse(List.of("--spec", dialect), false);
        if (spec.error() != null) {
            return usage(console, "--dialect: " + spec.error());
        }
        SendFleet.Options o = new SendFleet.Options(host, port, framing, IsoCodec.of(spec.spec()), count, connections, rate, timeout, window);
        SendFleet.Result r;
        try {
            r = new SendFleet(o).run();
        } catch (IOException e) {
            console.err().println("fluxrig iso send: " + host + ":" + port + ": " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
        console.out().print(summary(o, r));
        return r.lost() == 0 && r.mismatched() == 0 && r.sent() == count ? OK : FAILED;
    }

    static String summary(SendFleet.Options o, SendFleet.Result r) {
        long approved = r.byCode().getOrDefault("00", 0L);
        String declined = r.byCode().entrySet().stream().filter(e -> !e.getKey().equals("00"))
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" "));
        return String.format(Locale.ROOT, """
                iso send %s:%d %s %s, %d connections, window %d, rate %s
                sent %d  answered %d  approved %d  declined %d [%s]  timed-out %d  mismatched %d  late %d  lost %d
                tps %.1f  latency ms p50 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (%d samples, %.2f s)
                """, o.host(), o.port(), o.framing().id(), o.codec().spec().name(), o.connections(), o.window(),
                o.rate() > 0 ? String.valueOf(o.rate()) : "max", r.sent(), r.answered(), approved, r.answered() - approved, declined,
                r.timedOut(), r.mismatched(), r.late(), r.lost(), r.answered() / r.seconds(), pct(r.latencyNanos(), 0.50),
                pct(r.latencyNanos(), 0.99), pct(r.latencyNanos(), 0.999), pct(r.latencyNanos(), 1.0), r.latencyNanos().length, r.seconds());
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    private static int usage(Console console, String error) {
        console.err().println("fluxrig iso send: " + error + " (see fluxrig iso send --help)");
        return USAGE;
    }
}
