package io.fluxrig.bench.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The demo issuer's count of decisions per request ({@code GET /decisions} on its port; terminal,
 * STAN and RRN, no card data): the hand-over by which the fault runner counts requests decided
 * twice, never the issuer's log. The runner's thread only.
 */
final class IssuerLedger {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    /** @param port the issuer's HTTP port */
    IssuerLedger(int port) {
        this.base = "http://127.0.0.1:" + port + "/decisions";
    }

    /**
     * The issuer's counts at one moment.
     *
     * @param decisions every decision made
     * @param repeats decisions of a request already decided
     * @param repeated requests decided more than once (the issuer lists the first 1,000) → times
     */
    record Snapshot(long decisions, long repeats, Map<String, Integer> repeated) {
        /**
         * @return the requests decided again since {@code before} (their times now), what one load added
         */
        Map<String, Integer> repeatedSince(Snapshot before) {
            Map<String, Integer> m = new HashMap<>();
            repeated.forEach((k, v) -> {
                if (v > before.repeated.getOrDefault(k, 1)) {
                    m.put(k, v);
                }
            });
            return m;
        }
    }

    Snapshot snapshot() throws IOException, InterruptedException {
        JsonNode n = get(base);
        Map<String, Integer> repeated = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("repeated").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            repeated.put(e.getKey(), e.getValue().asInt());
        }
        return new Snapshot(n.path("decisions").asLong(), n.path("repeats").asLong(), repeated);
    }

    /** @return how often the issuer decided request {@code key} (terminal|stan|rrn) */
    int times(String key) throws IOException, InterruptedException {
        String[] f = key.split("\\|", -1);
        return get(base + "?terminal=" + enc(f[0]) + "&stan=" + enc(f[1]) + "&rrn=" + enc(f[2])).path("times").asInt();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("the issuer's " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
