package io.fluxrig.mixer;

import io.fluxrig.snake.api.ArtifactDigest;
import io.fluxrig.snake.api.Command;
import io.fluxrig.snake.api.CommandBatch;
import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.NKeyPair;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.RenewReply;
import io.fluxrig.snake.api.RenewRequest;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.fluxrig.testsupport.snake.SnakeEnrolment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A small rack for the Mixer's tests, built only on the contract (snake.api's routes, records,
 * codec and TLS helpers) and test.support's Snake enrolment ({@link SnakeEnrolment}, shared with
 * the fleet simulator), never on the rack's own classes: it enrols, then sends a heartbeat every
 * period on one HTTP/2 connection, renews its certificate past two thirds of its validity, and
 * runs the command stream (each id executed once, recorded in {@code commands.log}; renewal,
 * verified artifact fetch with an optional rate cap, apply-patch as a fetch; any other type refused). Its {@link #state()}
 * reads as the rack's: {@code online}, {@code refused: <reason>}, {@code disconnected: <reason>}.
 *
 * <p>Threading: {@link #start} starts a heartbeat thread and a command thread; {@link #close}
 * interrupts and joins them. The client and identity are published through volatile fields.
 */
final class FakeRack implements AutoCloseable {
    private static final SnakeCodec JSON = SnakeCodec.json();

    /** The rack's key and certificates. @param chain leaf first @param ca the Mixer CA */
    record Identity(PrivateKey key, X509Certificate[] chain, X509Certificate ca) {
        SSLContext context() throws GeneralSecurityException {
            return TlsContexts.mutual(key, chain, ca);
        }

        X509Certificate leaf() {
            return chain[0];
        }
    }

    /** The Mixer answered with an error, or the exchange failed (status 0). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String reason) {
            super(reason);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final String mixer;
    private final String rack;
    private final Path dir;
    private final long periodMillis;
    private final long downloadBytesPerSecond;
    private final Thread heartbeatThread;
    private final Thread commandThread;
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong heartbeatFailures = new AtomicLong();
    private volatile Heartbeat body;
    private volatile String state = "starting";
    private volatile HttpClient http;
    private volatile Identity identity;
    private volatile long holdAfterBytes = -1;
    private volatile java.util.concurrent.CountDownLatch holding;
    private volatile java.util.concurrent.CountDownLatch release;

    /**
     * @param mixer HOST:PORT of the Snake
     * @param rack the rack's name
     * @param dir its snake folder (identity, {@code commands.log}); artifacts go beside it
     * @param periodMillis heartbeat period
     * @param downloadBytesPerSecond cap on artifact reads, 0 for none
     */
    FakeRack(String mixer, String rack, Path dir, long periodMillis, long downloadBytesPerSecond) {
        this.mixer = mixer;
        this.rack = rack;
        this.dir = dir;
        this.periodMillis = periodMillis;
        this.downloadBytesPerSecond = downloadBytesPerSecond;
        this.body = new Heartbeat(periodMillis, Map.of(), null);
        this.heartbeatThread = new Thread(this::heartbeatLoop, "fake-rack-" + rack);
        this.commandThread = new Thread(this::commandLoop, "fake-rack-commands-" + rack);
        heartbeatThread.setDaemon(true);
        commandThread.setDaemon(true);
    }

    /** @param heartbeat what to send every period (default: the period alone) @return this */
    FakeRack sending(Heartbeat heartbeat) {
        this.body = heartbeat;
        return this;
    }

    /**
     * Makes the next artifact download stop reading once it has read {@code afterBytes} and keep
     * its stream open until {@code release} opens; {@code holding} opens when it stops.
     *
     * @return this
     */
    FakeRack holdingDownloads(long afterBytes, java.util.concurrent.CountDownLatch holding,
            java.util.concurrent.CountDownLatch release) {
        this.holding = holding;
        this.release = release;
        this.holdAfterBytes = afterBytes;
        return this;
    }

    FakeRack start() {
        heartbeatThread.start();
        commandThread.start();
        return this;
    }

    String state() {
        return state;
    }

    long heartbeats() {
        return heartbeats.get();
    }

    long heartbeatFailures() {
        return heartbeatFailures.get();
    }

    // --- enrolment -------------------------------------------------------------------------

    /**
     * Enrols as a rack does: trusts the Mixer only through the pinned CA hash, makes the key
     * (after the CA checked out), sends the CSR with the token, checks and stores the answer.
     */
    static Identity enrol(String mixer, String rack, Path dir, String token, String caHash) throws Refused {
        try {
            HttpClient pinned = TlsContexts.http2(TlsContexts.context(null, SnakeEnrolment.pinned(caHash)));
            NKeyPair natsKey = NKeyPair.generate(NKeyPair.Type.USER);
            // GET /ca on the pinned client; POST /enrol on one trusting only the CA it answered
            SnakeEnrolment.Enrolled e = SnakeEnrolment.enrol((route, body, ca) -> send(ca == null ? pinned
                    : TlsContexts.http2(TlsContexts.trusting(ca)), mixer, route, body), rack, token, caHash, natsKey.publicKey());
            Pem.write(dir.resolve("rack.key"), Pem.encode("PRIVATE KEY", e.keys().getPrivate().getEncoded()), true);
            storeNats(dir, e.natsJwt(), natsKey);
            Pem.write(dir.resolve("rack.crt"), e.chainPem(), false);
            Pem.write(dir.resolve("ca.crt"), Pem.certificates(e.ca()), false);
            return load(dir);
        } catch (SnakeEnrolment.Refused r) {
            throw new Refused(r.status(), r.status() == 0 ? "enrolment with " + mixer + " failed: " + r.getMessage() : r.getMessage());
        } catch (Exception e) {
            throw new Refused(0, "enrolment with " + mixer + " failed: " + reason(e));
        }
    }

    /** One enrolment request; a refusal says so with the status and the Mixer's reason. */
    private static byte[] send(HttpClient http, String mixer, SnakeRoute route, byte[] body) throws SnakeEnrolment.Refused,
            IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(mixer, route.path())).timeout(Duration.ofSeconds(30));
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new SnakeEnrolment.Refused(r.statusCode(), "the Mixer refused enrolment (" + r.statusCode() + "): "
                    + JSON.error(r.body()));
        }
        return r.body();
    }

    /** Like the real rack: the Mixer's JWT for the key made here and the key's seed, in {@code nats.creds} (0600). */
    private static void storeNats(Path dir, String jwt, NKeyPair key) throws IOException {
        if (jwt != null) {
            new Creds(jwt, key.seed()).write(dir.resolve("nats.creds"));
        }
    }

    static Identity load(Path dir) throws IOException, GeneralSecurityException {
        return new Identity(Pem.privateKey(Files.readString(dir.resolve("rack.key")), "EC"),
                Pem.parseCertificates(Files.readString(dir.resolve("rack.crt"))).toArray(X509Certificate[]::new),
                Pem.readCertificate(dir.resolve("ca.crt")));
    }

    // --- heartbeats and renewal -------------------------------------------------------------

    private void heartbeatLoop() {
        long nextRenewal = 0;
        while (!Thread.currentThread().isInterrupted()) {
            long began = System.nanoTime();
            try {
                if (http == null) {
                    Identity id = load(dir);
                    if (id.leaf().getNotAfter().toInstant().isBefore(Instant.now())) {
                        throw new Refused(0, "the rack certificate expired at " + id.leaf().getNotAfter().toInstant());
                    }
                    identity = id;
                    http = TlsContexts.http2(id.context());
                }
                HttpResponse<byte[]> r = http.send(post(uri(mixer, SnakeRoute.HEARTBEAT.path()),
                        body).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new Refused(r.statusCode(), "the Mixer refused the heartbeat (" + r.statusCode() + "): "
                            + JSON.error(r.body()));
                }
                heartbeats.incrementAndGet();
                state = "online";
                X509Certificate leaf = identity.leaf();
                long from = leaf.getNotBefore().getTime();
                long due = from + (leaf.getNotAfter().getTime() - from) * 67 / 100;
                if (System.currentTimeMillis() >= Math.max(due, nextRenewal)) {
                    nextRenewal = System.currentTimeMillis() + 10 * periodMillis;
                    try {
                        renew();
                    } catch (Exception e) {
                        state = "online; renewal failed (retrying): " + reason(e); // the current certificate stays valid
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                heartbeatFailures.incrementAndGet();
                boolean refused = e instanceof Refused r && r.status >= 400 && r.status != 503;
                state = (refused ? "refused: " : "disconnected: ") + reason(e);
                if (!(e instanceof Refused)) {
                    http = null; // reconnect, with the stored identity
                }
            }
            long rest = periodMillis - (System.nanoTime() - began) / 1_000_000;
            try {
                Thread.sleep(Math.max(rest, 0));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A new key and a CSR on the current connection; the answer is checked and stored. */
    private synchronized Identity renew() throws Exception {
        Identity current = identity;
        KeyPair keys = SnakeEnrolment.ecKey();
        NKeyPair natsKey = NKeyPair.generate(NKeyPair.Type.USER);
        HttpResponse<byte[]> r = http.send(post(uri(mixer, SnakeRoute.RENEW.path()),
                new RenewRequest(SnakeEnrolment.csr(rack, keys), natsKey.publicKey())).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new Refused(r.statusCode(), "the Mixer refused the renewal (" + r.statusCode() + "): " + JSON.error(r.body()));
        }
        RenewReply reply = JSON.read(r.body(), RenewReply.class);
        String chain = reply.certificate();
        SnakeEnrolment.checked(chain, current.ca(), keys);
        storeNats(dir, reply.natsJwt(), natsKey);
        Pem.write(dir.resolve("rack.key"), Pem.encode("PRIVATE KEY", keys.getPrivate().getEncoded()), true);
        Pem.write(dir.resolve("rack.crt"), chain, false);
        Identity renewed = load(dir);
        identity = renewed;
        http = TlsContexts.http2(renewed.context()); // new connections present the new certificate
        return renewed;
    }

    // --- commands ---------------------------------------------------------------------------

    private void commandLoop() {
        Map<String, CommandResult> ledger = new HashMap<>();
        Path log = dir.resolve("commands.log");
        try {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    CommandResult c = JSON.read(line.getBytes(StandardCharsets.UTF_8), CommandResult.class);
                    ledger.put(c.id(), c);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        while (!Thread.currentThread().isInterrupted()) {
            try {
                HttpClient client = http;
                if (client == null || !"online".equals(state)) {
                    Thread.sleep(20);
                    continue;
                }
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri(mixer, SnakeRoute.commandsPoll(20_000)))
                        .timeout(Duration.ofSeconds(35)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new Refused(r.statusCode(), JSON.error(r.body()));
                }
                for (Command c : JSON.read(r.body(), CommandBatch.class).commands()) {
                    CommandResult result = ledger.get(c.id());
                    if (result == null) {
                        result = execute(c);
                        ledger.put(c.id(), result);
                        Files.write(log, (new String(JSON.write(result), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8),
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    HttpResponse<byte[]> ack = http.send(post(uri(mixer, SnakeRoute.COMMAND_RESULT.path()), result).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (ack.statusCode() != 200) {
                        throw new Refused(ack.statusCode(), JSON.error(ack.body()));
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                try {
                    Thread.sleep(100); // the heartbeat thread notices and reconnects
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private CommandResult execute(Command c) throws InterruptedException {
        CommandType type = CommandType.of(c.type()).orElse(null);
        try {
            if (type == CommandType.RENEW_CERTIFICATE) {
                Identity id = renew();
                return new CommandResult(c.id(), CommandResult.DONE, "certificate renewed: serial "
                        + id.leaf().getSerialNumber().toString(16));
            }
            if (type == CommandType.FETCH_ARTIFACT) {
                return new CommandResult(c.id(), CommandResult.DONE, fetch(c.args().get(CommandType.DIGEST)));
            }
            if (type == CommandType.APPLY_PATCH) { // fetched and kept: this fake rack runs no gears
                return new CommandResult(c.id(), CommandResult.DONE, "applied: " + fetch(c.args().get(CommandType.DIGEST)));
            }
            return new CommandResult(c.id(), CommandResult.REFUSED, "unknown command type '" + c.type()
                    + "' (this fake rack knows renew-certificate, fetch-artifact, apply-patch)");
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return new CommandResult(c.id(), CommandResult.FAILED, reason(e));
        }
    }

    /** Streams the artifact into {@code <dir>/../artifacts/<hex>} while hashing; keeps it only when the digest matches. */
    private String fetch(String digest) throws Exception {
        if (!ArtifactDigest.valid(digest)) {
            throw new Refused(0, "argument 'digest' must be " + ArtifactDigest.RULE + ", got " + digest);
        }
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri(mixer, SnakeRoute.artifact(digest)))
                .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            try (InputStream in = r.body()) {
                throw new Refused(r.statusCode(), "the Mixer refused artifact " + digest + " (" + r.statusCode() + "): "
                        + JSON.error(in.readAllBytes()));
            }
        }
        Path target = dir.resolveSibling("artifacts").resolve(ArtifactDigest.hex(digest));
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long total = 0;
        long start = System.nanoTime();
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(part)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0;) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                total += n;
                if (holdAfterBytes >= 0 && total >= holdAfterBytes && release.getCount() > 0) {
                    holding.countDown(); // the stream stays open, unread: HTTP/2 flow control stops this stream only
                    release.await();
                }
                if (downloadBytesPerSecond > 0) { // pace the reads: HTTP/2 flow control slows this stream only
                    Thread.sleep(Math.max(0, total * 1000 / downloadBytesPerSecond - (System.nanoTime() - start) / 1_000_000));
                }
            }
        }
        String got = ArtifactDigest.PREFIX + java.util.HexFormat.of().formatHex(sha.digest());
        if (!got.equals(digest)) {
            Files.delete(part);
            throw new Refused(0, "digest mismatch for artifact " + digest + ": received " + got + " (discarded)");
        }
        Files.move(part, target);
        return "fetched " + total + " bytes, " + digest + " verified";
    }

    // --- helpers ----------------------------------------------------------------------------

    private static URI uri(String mixer, String path) {
        return URI.create("https://" + mixer + path);
    }

    private static HttpRequest.Builder post(URI uri, Object message) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.write(message)));
    }

    private static byte[] send(HttpClient http, String what, HttpRequest.Builder b) throws Exception {
        HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new Refused(r.statusCode(), "the Mixer refused " + what + " (" + r.statusCode() + "): " + JSON.error(r.body()));
        }
        return r.body();
    }

    private static String reason(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        heartbeatThread.interrupt();
        commandThread.interrupt();
        heartbeatThread.join(10_000);
        commandThread.join(10_000);
    }

    /** @return the artifacts folder beside the snake folder */
    static Path artifacts(Path dir) {
        return dir.resolveSibling("artifacts");
    }

    /** @return the lines of the command ledger */
    static List<String> ledger(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("commands.log"));
    }
}
