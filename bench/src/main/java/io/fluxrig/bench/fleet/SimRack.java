package io.fluxrig.bench.fleet;

import io.fluxrig.snake.api.ArtifactDigest;
import io.fluxrig.snake.api.CaInfo;
import io.fluxrig.snake.api.Command;
import io.fluxrig.snake.api.CommandBatch;
import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.EnrolReply;
import io.fluxrig.snake.api.EnrolRequest;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * One simulated rack, built only on the Snake contract (snake.api's routes, records, codec and TLS
 * helpers): it enrols as a rack does (pins the Mixer CA by hash, makes its own EC key, sends a CSR
 * with a one-time token, checks the certificate it gets back), then holds one mutual-TLS 1.3
 * HTTP/2 connection on which it sends a heartbeat with its inventory every period and keeps a
 * command long poll open. A {@code fetch-artifact} command is executed for real (downloaded and
 * its SHA-256 checked); any other type is answered {@code refused}, as a rack does with a type
 * it does not know. Each command id is executed once.
 *
 * <p>Threading: nothing here owns a thread. Heartbeats are scheduled on the fleet's timer and
 * every exchange is asynchronous on the rack's {@link HttpClient} (whose selector thread is the
 * one thread per simulated rack), completing on the fleet's shared executor.
 */
final class SimRack {
    private static final SnakeCodec JSON = SnakeCodec.json();
    private static final long POLL_WAIT_MS = 20_000;

    private final String name;
    private final String snake;
    private final long periodMs;
    private final boolean busy;
    private final FleetStats stats;
    private final Set<String> executed = ConcurrentHashMap.newKeySet();
    private volatile HttpClient http;
    private volatile boolean stopped;
    private volatile long traffic;

    SimRack(String name, String snake, long periodMs, boolean busy, FleetStats stats) {
        this.name = name;
        this.snake = snake;
        this.periodMs = periodMs;
        this.busy = busy;
        this.stats = stats;
    }

    String name() {
        return name;
    }

    /**
     * @param caHash the CA hash racks pin
     * @param executor where exchanges complete
     * @return a client without a certificate that trusts only a server chain holding the pinned CA
     *     (the fleet shares one for enrolments: one TLS connection instead of one per rack)
     */
    static HttpClient pinnedClient(String caHash, Executor executor) throws GeneralSecurityException {
        return client(TlsContexts.context(null, new Pinned(caHash)), executor);
    }

    /**
     * Enrols (blocking): {@code GET /ca} trusting only the pinned CA, a new key, {@code POST /enrol}.
     *
     * @param token a one-time enrolment token for this rack
     * @param caHash the pinned CA hash
     * @param pinned the fleet's {@link #pinnedClient}
     * @param executor where the rack's exchanges complete
     * @throws Refused when the Mixer refuses (the status says whether to try again)
     */
    void enrol(String token, String caHash, HttpClient pinned, Executor executor) throws Refused, IOException,
            InterruptedException, GeneralSecurityException {
        CaInfo info = JSON.read(send(pinned, HttpRequest.newBuilder(uri(SnakeRoute.CA.path())).GET()), CaInfo.class);
        X509Certificate ca = Pem.parseCertificates(info.ca()).get(0);
        if (!Pem.hash(ca).equals(caHash)) {
            throw new Refused(0, "Mixer CA hash mismatch: pinned " + caHash + ", got " + Pem.hash(ca));
        }
        KeyPair keys = ecKey();
        EnrolReply reply = JSON.read(send(pinned, post(SnakeRoute.ENROL.path(), new EnrolRequest(token, csr(name, keys)))),
                EnrolReply.class);
        X509Certificate[] chain = Pem.parseCertificates(reply.certificate()).toArray(X509Certificate[]::new);
        chain[0].verify(ca.getPublicKey());
        if (!chain[0].getPublicKey().equals(keys.getPublic())) {
            throw new Refused(0, "the Mixer returned a certificate for another key");
        }
        http = client(TlsContexts.mutual(keys.getPrivate(), chain, ca), executor);
    }

    /** Starts heartbeats (at a random phase within the period) and the command poll. */
    void start(ScheduledExecutorService timer) {
        long phase = (long) (Math.random() * periodMs);
        timer.scheduleAtFixedRate(this::heartbeat, phase, periodMs, TimeUnit.MILLISECONDS);
        timer.schedule(this::poll, phase, TimeUnit.MILLISECONDS);
    }

    void stop() {
        stopped = true;
    }

    private void heartbeat() {
        if (stopped) {
            throw new IllegalStateException("stopped"); // ends the fixed-rate schedule
        }
        if (busy) {
            traffic += periodMs / 100; // about 10 messages a second through each gear
        }
        Heartbeat hb = new Heartbeat(periodMs, Map.of("java", "17.0.15", "fluxrig", "1.0.0"), SimInventory.of(name, traffic));
        long began = System.nanoTime();
        http.sendAsync(post(SnakeRoute.HEARTBEAT.path(), hb).build(), HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((r, e) -> stats.heartbeat(name, System.nanoTime() - began, e == null && r.statusCode() == 200,
                        e != null ? e.toString() : r.statusCode() != 200 ? r.statusCode() + " " + JSON.error(r.body()) : null));
    }

    private void poll() {
        if (stopped) {
            return;
        }
        HttpRequest req = HttpRequest.newBuilder(uri(SnakeRoute.commandsPoll(POLL_WAIT_MS)))
                .timeout(Duration.ofMillis(POLL_WAIT_MS + 15_000)).GET().build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
            if (e != null || r.statusCode() != 200) {
                stats.pollFailed(name, e != null ? e.toString() : r.statusCode() + " " + JSON.error(r.body()));
                java.util.concurrent.CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(this::poll);
                return;
            }
            java.util.List<Command> batch;
            try {
                batch = JSON.read(r.body(), CommandBatch.class).commands();
            } catch (IOException bad) {
                stats.pollFailed(name, bad.toString());
                java.util.concurrent.CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(this::poll);
                return;
            }
            // As a rack does: the batch is run and its results reported before the next poll.
            CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
            for (Command c : batch) {
                all = all.thenCompose(x -> run(c));
            }
            all.whenComplete((x, e2) -> poll());
        });
    }

    /** Executes a command once; @return when its result is reported (or failed to be) */
    private CompletableFuture<Void> run(Command c) {
        boolean first = executed.add(c.id());
        if (first) {
            stats.commandReceived(name, c.id());
        }
        CommandType type = CommandType.of(c.type()).orElse(null);
        if (type == CommandType.FETCH_ARTIFACT && first) {
            String digest = c.args().get(CommandType.DIGEST);
            return http.sendAsync(HttpRequest.newBuilder(uri(SnakeRoute.artifact(digest))).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray()).handle((r, e) -> {
                        String why = e != null ? e.toString() : r.statusCode() != 200 ? "HTTP " + r.statusCode()
                                : digest.equals(ArtifactDigest.PREFIX + sha256(r.body())) ? null : "digest mismatch";
                        return new CommandResult(c.id(), why == null ? CommandResult.DONE : CommandResult.FAILED,
                                why == null ? "fetched " + r.body().length + " bytes" : why);
                    }).thenCompose(this::report);
        } else if (type == CommandType.FETCH_ARTIFACT) {
            return report(new CommandResult(c.id(), CommandResult.DONE, "fetched before (from the ledger)"));
        }
        return report(new CommandResult(c.id(), CommandResult.REFUSED, "this simulated rack runs only fetch-artifact"));
    }

    private CompletableFuture<Void> report(CommandResult result) {
        return http.sendAsync(post(SnakeRoute.COMMAND_RESULT.path(), result).build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((r, e) -> {
                    stats.commandReported(name, result.id(), e == null && r.statusCode() == 200);
                    return null;
                });
    }

    // --- plumbing ----------------------------------------------------------------------------

    /** The Mixer answered with an error (status 0: the exchange failed). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String reason) {
            super(reason);
            this.status = status;
        }
    }

    private static HttpClient client(SSLContext ctx, Executor executor) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(ctx).sslParameters(TlsContexts.parameters())
                .connectTimeout(Duration.ofSeconds(20)).executor(executor).build();
    }

    private URI uri(String path) {
        return URI.create("https://" + snake + path);
    }

    private HttpRequest.Builder post(String path, Object body) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.write(body)));
    }

    private static byte[] send(HttpClient c, HttpRequest.Builder b) throws Refused, IOException, InterruptedException {
        HttpResponse<byte[]> r = c.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new Refused(r.statusCode(), "HTTP " + r.statusCode() + ": " + JSON.error(r.body()));
        }
        return r.body();
    }

    private static KeyPair ecKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static String csr(String cn, KeyPair kp) throws GeneralSecurityException, IOException {
        try {
            var req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            StringWriter w = new StringWriter();
            try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
                pw.writeObject(req);
            }
            return w.toString();
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts the Mixer's chain only when it holds the pinned CA and validates against it. */
    private static final class Pinned implements X509TrustManager {
        private final String hash;

        Pinned(String hash) {
            this.hash = hash;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                for (X509Certificate c : chain) {
                    if (Pem.hash(c).equals(hash)) {
                        TlsContexts.trustOnly(c).checkServerTrusted(chain, authType);
                        return;
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new CertificateException(e.getMessage(), e);
            }
            throw new CertificateException("Mixer CA hash mismatch: pinned " + hash);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
