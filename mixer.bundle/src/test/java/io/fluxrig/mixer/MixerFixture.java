package io.fluxrig.mixer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.http.SnakeObserver;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/** A real nats-server and a real Mixer (CA, KV stores, the Snake, the API servlet over TLS) on loopback ports. */
final class MixerFixture implements AutoCloseable {
    final Path dir;
    final NatsServer nats;
    final Mixer mixer;
    final ApiTestServer apiServer;
    final String operatorToken;
    final ObjectMapper json = new ObjectMapper();

    MixerFixture(Path dir) throws Exception {
        this(dir, Duration.ofDays(30), SnakeObserver.NONE);
    }

    /** @param rackCertLifetime lifetime of issued rack certificates @param observer sees Snake traffic */
    MixerFixture(Path dir, Duration rackCertLifetime, SnakeObserver observer) throws Exception {
        this(dir, rackCertLifetime, observer, MixerSettings.ARTIFACT_MAX_MB_DEFAULT * 1024L * 1024L);
    }

    /** @param artifactMaxBytes the upload size cap of POST /api/artifacts */
    MixerFixture(Path dir, long artifactMaxBytes) throws Exception {
        this(dir, Duration.ofDays(30), SnakeObserver.NONE, artifactMaxBytes);
    }

    /**
     * Missed periods before the Mixer marks a rack offline, for tests that read "the rack was never
     * marked offline" as an outcome: with a rule far beyond {@link #PATIENCE} only heartbeats that
     * stopped can break it, never one that a loaded machine delayed by a few periods.
     */
    static final int OFFLINE_NEVER_BY_DELAY = 1000;

    /** @param observer sees Snake traffic @param offlineAfterPeriods missed periods before a rack is offline */
    MixerFixture(Path dir, SnakeObserver observer, int offlineAfterPeriods) throws Exception {
        this(dir, Duration.ofDays(30), observer, MixerSettings.ARTIFACT_MAX_MB_DEFAULT * 1024L * 1024L, offlineAfterPeriods);
    }

    private MixerFixture(Path dir, Duration rackCertLifetime, SnakeObserver observer, long artifactMaxBytes) throws Exception {
        this(dir, rackCertLifetime, observer, artifactMaxBytes, 3);
    }

    private MixerFixture(Path dir, Duration rackCertLifetime, SnakeObserver observer, long artifactMaxBytes,
            int offlineAfterPeriods) throws Exception {
        this.dir = dir;
        this.nats = NatsServer.started();
        giveNatsCredentials(dir.resolve("mixer"));
        AtomicReference<String> token = new AtomicReference<>();
        MixerSettings s = new MixerSettings(dir.resolve("mixer"), nats.url(), "127.0.0.1", 0, "127.0.0.1", 0,
                List.of("localhost", "127.0.0.1"), "127.0.0.1:7443", "https://127.0.0.1:8443/system/console",
                rackCertLifetime, offlineAfterPeriods, Duration.ofMillis(50)).withArtifactMaxBytes(artifactMaxBytes);
        this.mixer = Mixer.start(s, Clock.systemUTC(), token::set, observer);
        this.apiServer = new ApiTestServer(mixer);
        this.operatorToken = token.get();
    }

    /**
     * Puts the test server's Mixer credentials, the signing part of its root of trust and its CA
     * where a Mixer with that data folder reads them ({@code nats/mixer.creds}, {@code nats/trust/},
     * {@code nats/ca.crt}): it connects as the Mixer over TLS and signs the racks' NATS credentials.
     */
    void giveNatsCredentials(Path mixerData) throws java.io.IOException {
        Path natsDir = java.nio.file.Files.createDirectories(mixerData.resolve("nats"));
        java.nio.file.Files.copy(nats.creds(io.fluxrig.nats.trust.Role.MIXER), natsDir.resolve("mixer.creds"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.copy(nats.caFile(), natsDir.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        nats.trust().writeSigner(natsDir.resolve("trust")); // the signing keys only, as 'fluxrig mixer --nats-trust' copies
    }

    /** Enrols a rack with the contract's fake rack; returns its snake folder. */
    Path enrol(String rack) throws Exception {
        return enrol(rack, java.util.Map.of("site", "lab"));
    }

    /** Enrols a rack with these labels; returns its snake folder. */
    Path enrol(String rack, java.util.Map<String, String> labels) throws Exception {
        Path snakeDir = dir.resolve("racks").resolve(rack).resolve("snake");
        FakeRack.enrol(snake(), rack, snakeDir, mint(rack, "1h", labels), mixer.ca().hash());
        return snakeDir;
    }

    /** @return a started fake rack for an enrolled rack, heartbeating every period */
    FakeRack start(String rack, Path snakeDir, long periodMillis) {
        return new FakeRack(snake(), rack, snakeDir, periodMillis, 0).start();
    }

    /**
     * The hang guard of the Mixer tests' waits ({@link Await#until(String, java.util.function.BooleanSupplier, Duration)}):
     * longer than the default because some waits span reconnect back-offs and certificate expiries
     * on a shared, loaded machine. Never a timing check.
     */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    String snake() {
        return "127.0.0.1:" + mixer.snakePort();
    }

    static HttpClient client(SSLContext ctx) {
        return TlsContexts.http2(ctx);
    }

    /** An API call trusting only the Mixer CA; body null means GET. */
    HttpResponse<String> api(String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + apiServer.port() + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return client(TestPki.context(mixer.ca().certificate(), null)).send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Uploads bytes with POST /api/artifacts.
     *
     * @param announceLength send a content-length; false streams the body without one, so only
     *        the Mixer's counting cap can stop it
     */
    HttpResponse<String> upload(byte[] body, String bearer, boolean announceLength) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + apiServer.port() + "/api/artifacts"))
                .header("Content-Type", "application/octet-stream");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        b.POST(announceLength ? HttpRequest.BodyPublishers.ofByteArray(body)
                : HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
        return client(TestPki.context(mixer.ca().certificate(), null)).send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Mints a token through the API. */
    String mint(String rack, String ttl) throws Exception {
        return mint(rack, ttl, java.util.Map.of("site", "lab"));
    }

    /** Mints a token for a rack with these labels through the API. */
    String mint(String rack, String ttl, java.util.Map<String, String> labels) throws Exception {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("rack", rack);
        body.put("labels", labels);
        body.put("ttl", ttl);
        HttpResponse<String> r = api("/api/tokens", json.writeValueAsString(body), operatorToken);
        if (r.statusCode() != 201) {
            throw new AssertionError("mint: " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body()).get("token").asText();
    }

    JsonNode read(String body) throws Exception {
        return json.readTree(body);
    }

    /** Waits (bounded) until the rack's record satisfies the condition; no timing is asserted. */
    RackRecord awaitRack(String name, Predicate<RackRecord> condition) throws Exception {
        AtomicReference<RackRecord> reached = new AtomicReference<>();
        Await.until("rack " + name + " to reach the expected state", () -> {
            try {
                mixer.store().racks().get(name).filter(condition).ifPresent(reached::set);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return reached.get() != null;
        });
        return reached.get();
    }

    @Override
    public void close() throws Exception {
        try {
            apiServer.close();
            mixer.close();
        } finally {
            nats.close();
        }
    }
}
