package io.fluxrig.cli.issuer;

import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Console;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code issuer}: the simulated card issuer of the payment-switch demo, a REST/JSON service in the
 * foreground until SIGTERM or Ctrl-C. Prints one readiness line, and at the end one line with its
 * decisions by response code (a JVM shutdown hook: the command then never returns).
 */
@Command(name = "issuer", description = {"simulated card issuer (REST/JSON) for the payment-switch demo",
        "Serves POST http://H:P/auth: the canonical JSON authorisation request (json.map iso-auth-request) -> 200 "
                + "{\"approved\":true,\"response_code\":\"00\",\"auth_code\":\"123456\"}; response code 05 for a "
                + "block-listed PAN, 51 for an amount above the limit. A malformed or incomplete request -> 400 {\"error\":\"<reason>\"}.",
        "Faults on demand (the demo's decline tests): a PAN in --slow is answered only after --slow-ms, a PAN in --fail gets HTTP 500.",
        "GET http://H:P/decisions: how often each request (terminal, STAN, RRN) was decided: totals and the requests decided more "
                + "than once (a wire redelivers after a fault; the fault runs count them); ?terminal=T&stan=S&rrn=R: one request's count.",
        "Prints \"fluxrig issuer ready: http://H:P/auth ...\" once listening and, on SIGTERM, "
                + "\"fluxrig issuer stopped: decisions 00:N 05:N 51:N, bad requests N\". Runs in the foreground until SIGTERM or Ctrl-C."})
public final class IssuerCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "P", required = true, description = "port to listen on, 0..65535 (0: any free port)")
    int port;
    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--limit", paramLabel = "MINOR_UNITS", defaultValue = "100000",
            description = "amounts above it are declined 51, in minor units of the request's currency; 0 = no limit (default ${DEFAULT-VALUE}, i.e. 1000.00 EUR)")
    long limit;
    @Option(names = "--block", paramLabel = "PAN,...", split = ",", description = "PANs declined 05")
    List<String> blocked = new ArrayList<>();
    @Option(names = "--slow", paramLabel = "PAN,...", split = ",", description = "PANs answered only after --slow-ms")
    List<String> slow = new ArrayList<>();
    @Option(names = "--slow-ms", paramLabel = "MS", defaultValue = "5000", description = "delay for --slow PANs (default ${DEFAULT-VALUE})")
    long slowMs;
    @Option(names = "--fail", paramLabel = "PAN,...", split = ",", description = "PANs answered HTTP 500")
    List<String> failing = new ArrayList<>();
    @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "handler threads, 1..64 (default ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--log-traces", description = "print one line per request that carries a W3C traceparent header: "
            + "\"fluxrig issuer: traceparent <value> -> <response code|HTTP status>\", written at most 200 ms after the request "
            + "(the demo sets it with --otlp)")
    boolean logTraces;
    /** The longest a trace line waits before it is written ({@link TraceLines}). */
    static final long TRACE_FLUSH_MS = 200;
    @Option(names = "--ready-file", paramLabel = "FILE", description = "write FILE (url=..., pid=...) once listening, remove it at stop (for launchers)")
    java.nio.file.Path readyFile;

    @Spec
    CommandSpec spec;

    private final Console console;

    IssuerCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        check(port >= 0 && port <= 65535, "--port " + port + " is not a port (0..65535)");
        check(limit >= 0, "--limit " + limit + " must be 0 (no limit) or more");
        check(threads >= 1 && threads <= 64, "--threads " + threads + " is outside 1..64");
        check(slowMs >= 0, "--slow-ms " + slowMs + " must be 0 or more");
        TraceLines traces = logTraces ? new TraceLines(console.out(), TRACE_FLUSH_MS) : null;
        IssuerServer server = new IssuerServer(host, port, threads, new IssuerRules(limit, pans(blocked), pans(slow), pans(failing)), slowMs,
                traces);
        return serve(server, traces);
    }

    private int serve(IssuerServer server, TraceLines traces) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (traces != null) {
                traces.close();
            }
            removeReadyFile();
            StringBuilder codes = new StringBuilder();
            server.decisions().forEach((k, v) -> codes.append(' ').append(k).append(':').append(v));
            console.out().println("fluxrig issuer stopped: decisions" + (codes.length() == 0 ? " none" : codes)
                    + ", bad requests " + server.badRequests() + (server.faults() > 0 ? ", faults " + server.faults() : ""));
            console.out().flush();
            stopped.countDown();
        }, "fluxrig-issuer-stop"));
        writeReadyFile("url=http://" + host + ":" + server.port() + "/auth\npid=" + ProcessHandle.current().pid() + "\n");
        console.out().println("fluxrig issuer ready: http://" + host + ":" + server.port() + "/auth (limit "
                + (limit == 0 ? "none" : limit + " minor units") + ", " + pans(blocked).size() + " blocked PANs)");
        console.out().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Exit.OK;
    }

    private void writeReadyFile(String text) {
        if (readyFile == null) {
            return;
        }
        try {
            java.nio.file.Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
            java.nio.file.Files.writeString(tmp, text);
            java.nio.file.Files.move(tmp, readyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            console.err().println("fluxrig issuer: cannot write " + readyFile + ": " + e.getMessage());
        }
    }

    private void removeReadyFile() {
        try {
            if (readyFile != null) {
                java.nio.file.Files.deleteIfExists(readyFile);
            }
        } catch (IOException e) {
            // a launcher removes a stale one before the next start
        }
    }

    private static Set<String> pans(List<String> list) {
        Set<String> pans = new LinkedHashSet<>();
        for (String pan : list) {
            if (!pan.isBlank()) {
                pans.add(pan.strip());
            }
        }
        return pans;
    }

    private void check(boolean ok, String problem) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }
}
