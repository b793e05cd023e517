package io.fluxrig.cli.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The issuer's faults on demand (--slow, --fail) over real HTTP; other cards are answered as usual meanwhile. */
class IssuerFaultsTest {
    static final String SLOW = "4761730000000011";
    static final String FAILING = "4761730000000029";
    static final String NORMAL = "4761731234567897";

    private IssuerServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new IssuerServer("127.0.0.1", 0, 4, new IssuerRules(100_000, Set.of(), Set.of(SLOW), Set.of(FAILING)), 3_000);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpRequest post(String pan, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/auth")).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(IssuerServerTest.request(pan, "10.00", "EUR")))
                .header("Content-Type", "application/json").build();
    }

    @Test
    void aFailingCardGets500AndIsNotCountedAsADecision() throws Exception {
        HttpResponse<String> r = http.send(post(FAILING, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
        assertEquals(500, r.statusCode(), r.body());
        assertTrue(r.body().contains("simulated issuer failure"), r.body());
        assertEquals(1, server.faults());
        assertTrue(server.decisions().isEmpty(), server.decisions().toString());
    }

    @Test
    void aSlowCardIsHeldPastItsCallersTimeoutWhileOthersAreAnswered() throws Exception {
        // The caller gives up long before the 3 s hold ends: that is what a json.http timeout sees.
        assertThrows(HttpTimeoutException.class, () -> http.send(post(SLOW, Duration.ofMillis(200)), HttpResponse.BodyHandlers.ofString()));
        HttpResponse<String> normal = http.send(post(NORMAL, Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, normal.statusCode(), normal.body());
        assertTrue(normal.body().contains("\"response_code\":\"00\""), normal.body());
        assertEquals(1, server.faults());
    }
}
