package io.fluxrig.cli.issuer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The simulated issuer's REST endpoint: {@code POST /auth} with the canonical JSON authorisation
 * request → 200 with the decision JSON ({@link IssuerRules}); a body the rules refuse → 400 with
 * {@code {"error": reason}}; another path → 404, another method → 405. {@code GET /decisions}
 * tells how often each request was decided ({@link DecisionLedger}: totals and the requests decided
 * more than once, keyed by terminal|stan|rrn, no card data); with {@code ?terminal=T&stan=S&rrn=R}
 * only {@code {"times":N}} for that request. It is how the fault runs count decisions made twice.
 *
 * <p>Threads: the JDK server's dispatcher plus a fixed pool of {@code threads} handler threads
 * ({@code fluxrig-issuer-N}), all owned by this object; {@link #close()} stops the server (waiting
 * up to 1 s for exchanges in progress) and the pool. Counters are safe to read from any thread.
 */
final class IssuerServer implements AutoCloseable {
    /** Largest request body read, in bytes. */
    static final int MAX_BODY = 64 * 1024;
    /** What a traceparent header may print as: its W3C form only (compiled once: it is checked per request). */
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f-]{55}");

    private final IssuerRules rules;
    private final Consumer<String> traceLog;
    private final long slowMs;
    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicLong badRequests = new AtomicLong();
    private final AtomicLong faults = new AtomicLong();
    private final Map<String, AtomicLong> byCode = new ConcurrentHashMap<>();
    /** Distinct requests remembered: a long fault run at 100 TPS decides a few hundred thousand. */
    private final DecisionLedger ledger = new DecisionLedger(2_000_000);

    /**
     * Binds and starts at once.
     *
     * @param host bind address
     * @param port port (0 = any free port)
     * @param threads handler threads
     * @param rules the decisions
     * @throws IOException when the port cannot be bound
     */
    IssuerServer(String host, int port, int threads, IssuerRules rules) throws IOException {
        this(host, port, threads, rules, 0);
    }

    /**
     * @param slowMs how long a {@link IssuerRules.Fault#SLOW} request is held before it is answered
     *     (on a handler thread: size {@code threads} for the slow requests expected at once)
     */
    IssuerServer(String host, int port, int threads, IssuerRules rules, long slowMs) throws IOException {
        this(host, port, threads, rules, slowMs, null);
    }

    /**
     * @param traceLog receives one line per request that carries a {@code traceparent} header
     *     (called on handler threads), or null
     */
    IssuerServer(String host, int port, int threads, IssuerRules rules, long slowMs, Consumer<String> traceLog) throws IOException {
        this.traceLog = traceLog;
        this.rules = rules;
        this.slowMs = slowMs;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fluxrig-issuer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // The JDK server writes a response's headers and body separately; with Nagle on, the body
        // waits for the client's delayed ACK (~40 ms per call, measured: p50 49 ms -> 9 ms). The
        // server reads this JVM-wide switch once, so it is set before the first server exists.
        // This is the issuer simulator's own process (the CLI), not a rack.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** @return the bound port */
    int port() {
        return server.getAddress().getPort();
    }

    /** @return decisions by response code, sorted */
    Map<String, Long> decisions() {
        Map<String, Long> m = new TreeMap<>();
        byCode.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** @return requests answered late or with HTTP 500 on purpose (--slow, --fail) */
    long faults() {
        return faults.get();
    }

    /** @return requests answered 400 */
    long badRequests() {
        return badRequests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        String traceparent = traceLog == null ? null : ex.getRequestHeaders().getFirst("traceparent");
        try (ex) {
            handle(ex, traceparent);
        }
    }

    /** @return how often each request was decided */
    DecisionLedger.Snapshot ledger() {
        return ledger.snapshot();
    }

    private void handle(HttpExchange ex, String traceparent) throws IOException {
        if ("/decisions".equals(ex.getRequestURI().getPath())) {
            decisions(ex);
            return;
        }
        if (!"/auth".equals(ex.getRequestURI().getPath())) {
            reply(ex, 404, "{\"error\":\"no such endpoint; POST /auth, GET /decisions\"}");
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            reply(ex, 405, "{\"error\":\"POST expected\"}");
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            badRequests.incrementAndGet();
            reply(ex, 413, "{\"error\":\"body larger than " + MAX_BODY + " bytes\"}", traceparent, "HTTP 413");
            return;
        }
        IssuerRules.Decision d;
        try {
            d = rules.decide(body);
        } catch (IssuerRules.BadRequest e) {
            badRequests.incrementAndGet();
            reply(ex, 400, "{\"error\":" + quote(e.getMessage()) + "}", traceparent, "HTTP 400");
            return;
        }
        if (d.fault() == IssuerRules.Fault.FAIL) {
            faults.incrementAndGet();
            reply(ex, 500, "{\"error\":\"simulated issuer failure (--fail)\"}", traceparent, "HTTP 500");
            return;
        }
        if (d.fault() == IssuerRules.Fault.SLOW) {
            faults.incrementAndGet();
            try {
                Thread.sleep(slowMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        byCode.computeIfAbsent(d.code(), c -> new AtomicLong()).incrementAndGet();
        ledger.record(d.request());
        reply(ex, 200, d.json(), traceparent, d.code());
    }

    /** {@code GET /decisions[?terminal=T&stan=S&rrn=R]}: the ledger, or one request's count. */
    private void decisions(HttpExchange ex) throws IOException {
        if (!"GET".equals(ex.getRequestMethod())) {
            reply(ex, 405, "{\"error\":\"GET expected\"}");
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        if (query == null || query.isEmpty()) {
            reply(ex, 200, ledger.snapshot().json());
            return;
        }
        Map<String, String> q = new TreeMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            q.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        if (!q.keySet().equals(java.util.Set.of("terminal", "stan", "rrn"))) {
            reply(ex, 400, "{\"error\":" + quote("query: terminal, stan and rrn expected, got " + String.join(",", q.keySet())) + "}");
            return;
        }
        reply(ex, 200, "{\"times\":" + ledger.times(DecisionLedger.key(q.get("terminal"), q.get("stan"), q.get("rrn"))) + "}");
    }

    private void reply(HttpExchange ex, int status, String json, String traceparent, String outcome) throws IOException {
        if (traceparent != null) {
            // The header is the rack's span context, never card data; only its W3C form is printed.
            traceLog.accept("fluxrig issuer: traceparent " + (TRACEPARENT.matcher(traceparent).matches() ? traceparent : "(malformed)")
                    + " -> " + outcome);
        }
        reply(ex, status, json);
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** JSON string literal: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(1);
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
