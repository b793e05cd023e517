package io.fluxrig.cli.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated issuer over real HTTP on a free loopback port: the three rules, bad requests, wrong paths and methods. */
class IssuerServerTest {
    static final String BLOCKED = "4761739001010010";

    private IssuerServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new IssuerServer("127.0.0.1", 0, 2, new IssuerRules(100_000, Set.of(BLOCKED)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The document {@code json.map iso-auth-request} produces for an iso send 0200. */
    static String request(String pan, String amount, String currency) {
        return """
                {"message_type":"0200","pan":"%s","processing_code":"000000","amount":{"value":"%s","currency":"%s"},
                 "stan":"000001","rrn":"000000000001","terminal":"T0000001","merchant":"FLUXRIGMERCH001",
                 "merchant_type":"5411","pos_entry_mode":"051","expiry":"2812","transmitted_at":"2026-11-27T01:02:03Z",
                 "local_time":"01:02:03","local_date":"2026-11-27"}""".formatted(pan, amount, currency);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void approvesWithAStableAuthCodeUpToTheLimit() throws Exception {
        HttpResponse<String> r = post("/auth", request("4761731234567897", "1000.00", "EUR"));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().matches("\\{\"approved\":true,\"response_code\":\"00\",\"auth_code\":\"[0-9]{6}\"}"), r.body());
        assertEquals(r.body(), post("/auth", request("4761731234567897", "1000.00", "EUR")).body(), "same request, same code");
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void declines51AboveTheLimitInMinorUnitsOfTheCurrency() throws Exception {
        assertEquals("{\"approved\":false,\"response_code\":\"51\"}", post("/auth", request("4761731234567897", "1000.01", "EUR")).body());
        // JPY has no minor unit: 100001 yen is above 100000 minor units, 100000 yen is not.
        assertEquals("{\"approved\":false,\"response_code\":\"51\"}", post("/auth", request("4761731234567897", "100001", "JPY")).body());
        assertTrue(post("/auth", request("4761731234567897", "100000", "JPY")).body().contains("\"00\""));
        // BHD has three decimals: 100.001 BHD = 100001 minor units.
        assertEquals("{\"approved\":false,\"response_code\":\"51\"}", post("/auth", request("4761731234567897", "100.001", "BHD")).body());
    }

    /** With a trace log: one line per request carrying a traceparent, with the decision; none without. */
    @Test
    void logsTheTraceparentOfEachTracedRequestWithItsDecision() throws Exception {
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (IssuerServer traced = new IssuerServer("127.0.0.1", 0, 2, new IssuerRules(100_000, Set.of(BLOCKED)), 0, lines::add)) {
            String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            for (String[] call : new String[][] {{tp, BLOCKED}, {null, BLOCKED}, {"00-not-a-trace", "4761731234567897"}}) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + traced.port() + "/auth"))
                        .POST(HttpRequest.BodyPublishers.ofString(request(call[1], "1.00", "EUR")));
                if (call[0] != null) {
                    b.header("traceparent", call[0]);
                }
                assertEquals(200, http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            assertEquals(java.util.List.of("fluxrig issuer: traceparent " + tp + " -> 05",
                    "fluxrig issuer: traceparent (malformed) -> 00"), lines);
        }
    }

    @Test
    void declines05ForABlockListedPanWhateverTheAmount() throws Exception {
        assertEquals("{\"approved\":false,\"response_code\":\"05\"}", post("/auth", request(BLOCKED, "1.00", "EUR")).body());
        assertEquals("{\"approved\":false,\"response_code\":\"05\"}", post("/auth", request(BLOCKED, "5000.00", "EUR")).body());
        assertEquals(Map.of("05", 2L), server.decisions());
    }

    @Test
    void malformedOrIncompleteRequestsGet400WithTheReason() throws Exception {
        HttpResponse<String> r = post("/auth", "{\"pan\": \"4761731234567897\", ");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("{\"error\":\"malformed JSON at offset"), r.body());
        assertEquals("{\"error\":\"malformed JSON: an object expected at offset 0\"}", post("/auth", "[1,2]").body());
        assertEquals("{\"error\":\"amount: object {value, currency} expected\"}",
                post("/auth", "{\"pan\":\"4761731234567897\"}").body());
        assertEquals("{\"error\":\"pan: missing\"}", post("/auth", "{\"amount\":{}}").body());
        assertEquals("{\"error\":\"pan: 12 to 19 digits expected\"}", post("/auth", request("4761-7312", "1.00", "EUR")).body());
        assertEquals("{\"error\":\"amount.value: not a decimal number\"}", post("/auth", request("4761731234567897", "1,00", "EUR")).body());
        assertEquals("{\"error\":\"amount.value: 1.001 is not a non-negative amount in EUR\"}",
                post("/auth", request("4761731234567897", "1.001", "EUR")).body());
        assertTrue(post("/auth", "{\"pan\":\"1\",\"pan\":\"2\"}").body().contains("duplicate key \\\"pan\\\""));
        assertEquals(8, server.badRequests());
        assertEquals(Map.of(), server.decisions());
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request decided again (a wire redelivery) is counted per terminal, STAN and RRN; the PAN appears nowhere. */
    @Test
    void countsEachRequestsDecisionsWithoutCardData() throws Exception {
        assertEquals("{\"decisions\":0,\"requests\":0,\"repeats\":0,\"untracked\":0,\"repeated\":{}}", get("/decisions").body());
        post("/auth", request("4761731234567897", "1.00", "EUR"));
        post("/auth", request("4761731234567897", "1.00", "EUR"));
        post("/auth", request(BLOCKED, "2.00", "EUR").replace("\"000001\"", "\"000002\""));
        HttpResponse<String> all = get("/decisions");
        assertEquals(200, all.statusCode());
        assertEquals("{\"decisions\":3,\"requests\":2,\"repeats\":1,\"untracked\":0,\"repeated\":{\"T0000001|000001|000000000001\":2}}",
                all.body());
        assertEquals("{\"times\":2}", get("/decisions?terminal=T0000001&stan=000001&rrn=000000000001").body());
        assertEquals("{\"times\":1}", get("/decisions?terminal=T0000001&stan=000002&rrn=000000000001").body());
        assertEquals("{\"times\":0}", get("/decisions?terminal=T0000009&stan=000001&rrn=000000000001").body());
        HttpResponse<String> bad = get("/decisions?pan=4761731234567897");
        assertEquals(400, bad.statusCode());
        assertEquals("{\"error\":\"query: terminal, stan and rrn expected, got pan\"}", bad.body());
        assertEquals(405, post("/decisions", "{}").statusCode());
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertEquals(404, post("/other", "{}").statusCode());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/auth")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
    }

    @Test
    void usageErrorsExit2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"issuer", "--port", "x"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("fluxrig issuer: not a number"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Main.run(new String[] {"issuer", "--limit", "-1", "--port", "0"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    }
}
