package io.fluxrig.cli.issuer;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code issuer}: the simulated card issuer of the payment-switch demo, a REST/JSON service in the
 * foreground until SIGTERM or Ctrl-C. Prints one readiness line, and at the end one line with its
 * decisions by response code (a JVM shutdown hook: the command then never returns).
 */
public final class IssuerCommand implements Command {
    @Override
    public String name() {
        return "issuer";
    }

    @Override
    public String summary() {
        return "simulated card issuer (REST/JSON) for the payment-switch demo";
    }

    @Override
    public String help() {
        return """
                usage: fluxrig issuer --port P [--host H] [--limit MINOR_UNITS] [--block PAN,...] [--threads N]
                                      [--slow PAN,... [--slow-ms MS]] [--fail PAN,...]
                  Serves POST http://H:P/auth: the canonical JSON authorisation request (json.map
                  iso-auth-request) -> 200 {"approved":true,"response_code":"00","auth_code":"123456"};
                  response code 05 for a block-listed PAN, 51 for an amount above the limit (minor
                  units of the request's currency; default 100000, i.e. 1000.00 EUR; 0 = no limit).
                  A malformed or incomplete request -> 400 {"error":"<reason>"}.
                  Faults on demand (the demo's decline tests): a PAN in --slow is answered only
                  after --slow-ms (default 5000), a PAN in --fail gets HTTP 500.
                  Prints "fluxrig issuer ready: http://H:P/auth ..." once listening and, on SIGTERM,
                  "fluxrig issuer stopped: decisions 00:N 05:N 51:N, bad requests N".
                  Defaults: host 127.0.0.1, 4 handler threads.""";
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        String host = "127.0.0.1";
        int port = -1;
        int threads = 4;
        long limit = 100_000;
        long slowMs = 5000;
        Set<String> blocked = new LinkedHashSet<>();
        Set<String> slow = new LinkedHashSet<>();
        Set<String> failing = new LinkedHashSet<>();
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
                    case "--limit" -> limit = Long.parseLong(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--slow-ms" -> slowMs = Long.parseLong(v);
                    case "--block" -> pans(v, blocked);
                    case "--slow" -> pans(v, slow);
                    case "--fail" -> pans(v, failing);
                    default -> {
                        return usage(console, "unknown option " + a);
                    }
                }
            }
        } catch (NumberFormatException e) {
            return usage(console, "not a number: " + e.getMessage());
        }
        if (port < 0 || port > 65535 || limit < 0 || threads < 1 || threads > 64 || slowMs < 0) {
            return usage(console, "need --port 0..65535, --limit >= 0, --threads 1..64, --slow-ms >= 0");
        }
        IssuerServer server = new IssuerServer(host, port, threads, new IssuerRules(limit, blocked, slow, failing), slowMs);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            StringBuilder codes = new StringBuilder();
            server.decisions().forEach((k, v) -> codes.append(' ').append(k).append(':').append(v));
            console.out().println("fluxrig issuer stopped: decisions" + (codes.length() == 0 ? " none" : codes)
                    + ", bad requests " + server.badRequests() + (server.faults() > 0 ? ", faults " + server.faults() : ""));
            console.out().flush();
            stopped.countDown();
        }, "fluxrig-issuer-stop"));
        console.out().println("fluxrig issuer ready: http://" + host + ":" + server.port() + "/auth (limit "
                + (limit == 0 ? "none" : limit + " minor units") + ", " + blocked.size() + " blocked PANs)");
        console.out().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    private static void pans(String list, Set<String> into) {
        for (String pan : list.split(",")) {
            if (!pan.isBlank()) {
                into.add(pan.strip());
            }
        }
    }

    private static int usage(Console console, String error) {
        console.err().println("fluxrig issuer: " + error + " (see fluxrig issuer --help)");
        return USAGE;
    }
}
