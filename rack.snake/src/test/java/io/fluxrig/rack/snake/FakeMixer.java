package io.fluxrig.rack.snake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fluxrig.snake.api.CaInfo;
import io.fluxrig.snake.api.Command;
import io.fluxrig.snake.api.CommandAck;
import io.fluxrig.snake.api.CommandBatch;
import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.EnrolReply;
import io.fluxrig.snake.api.EnrolRequest;
import io.fluxrig.snake.api.ErrorReply;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.HeartbeatReply;
import io.fluxrig.snake.api.RenewReply;
import io.fluxrig.snake.api.RenewRequest;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A small Mixer for the rack's Snake tests, built only on the contract (snake.api's routes,
 * records, codec and TLS helpers): its own CA, one-time tokens, heartbeats counted (and answered
 * with an injected refusal when set), certificates issued from CSRs, a command queue, recorded
 * results and served artifacts. A JDK HTTPS server (HTTP/1.1; the rack's client falls back from
 * h2) on a free loopback port. Thread-safe: the server's threads and the test share concurrent
 * collections.
 */
final class FakeMixer implements AutoCloseable {
    private static final SnakeCodec JSON = SnakeCodec.json();

    final KeyPair caKeys;
    final X509Certificate ca;
    final Map<String, String> tokens = new ConcurrentHashMap<>(); // token -> rack
    final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
    final List<CommandResult> results = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> artifacts = new ConcurrentHashMap<>(); // hex -> bytes
    final AtomicInteger issued = new AtomicInteger();
    /** While set, heartbeats are answered with this status and reason. */
    volatile ErrorAnswer heartbeatRefusal;
    /** Signs a rack's NATS key (rack name, public key) into a user JWT; null: the Mixer issues no NATS credential. */
    volatile java.util.function.BiFunction<String, String, String> natsSigner;
    private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final HttpsServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    /** An injected refusal. */
    record ErrorAnswer(int status, String reason) {
    }

    /** What the fake Mixer serves as its TLS certificate, all issued by its own (pinned) CA. */
    enum Serving {
        /** As the real Mixer: serverAuth, SANs {@code localhost} and {@code 127.0.0.1}. */
        SERVER_CERTIFICATE,
        /** A genuine rack certificate for a rack named {@code localhost}: clientAuth only, no SAN. */
        RACK_CERTIFICATE_NAMED_LOCALHOST,
        /** serverAuth, but the only SAN is {@code mixer.elsewhere.example} (CN {@code localhost}). */
        SERVER_CERTIFICATE_FOR_ANOTHER_HOST
    }

    FakeMixer() throws Exception {
        this(Serving.SERVER_CERTIFICATE);
    }

    FakeMixer(Serving serving) throws Exception {
        caKeys = ecKey();
        ca = certificate("CN=fake-mixer-ca", caKeys.getPublic(), Instant.now().minusSeconds(60), Duration.ofDays(30), true, false);
        KeyPair serverKeys = ecKey();
        X509Certificate serverCert = switch (serving) {
            case SERVER_CERTIFICATE -> certificate("CN=fake-mixer", serverKeys.getPublic(), Instant.now().minusSeconds(60),
                    Duration.ofDays(30), false, true);
            case RACK_CERTIFICATE_NAMED_LOCALHOST -> certificate("CN=localhost", serverKeys.getPublic(),
                    Instant.now().minusSeconds(60), Duration.ofDays(30), false, false);
            case SERVER_CERTIFICATE_FOR_ANOTHER_HOST -> issue("CN=localhost", serverKeys.getPublic(),
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth),
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "mixer.elsewhere.example")));
        };
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.mutual(serverKeys.getPrivate(),
                new X509Certificate[] {serverCert, ca}, ca)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = TlsContexts.parameters();
                p.setWantClientAuth(true); // enrolment comes without a certificate
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return the same endpoint by host name */
    String addressByName() {
        return "localhost:" + server.getAddress().getPort();
    }

    String caHash() throws Exception {
        return Pem.hash(ca);
    }

    void queue(Command c) {
        commands.add(c);
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /**
     * Issues a certificate signed by this CA with the Mixer's profiles: for the server serverAuth
     * and SANs localhost and 127.0.0.1; for a rack its CN and clientAuth only, no SAN.
     */
    X509Certificate certificate(String subject, PublicKey key, Instant from, Duration lifetime, boolean isCa, boolean server)
            throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name(ca == null ? subject : ca.getSubjectX500Principal().getName()),
                BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(from.plus(lifetime)), new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (server) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        } else if (!isCa) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(caKeys.getPrivate())));
    }

    private X509Certificate issue(String subject, PublicKey key, ExtendedKeyUsage usage, GeneralNames sans) throws Exception {
        Instant from = Instant.now().minusSeconds(60);
        var b = new JcaX509v3CertificateBuilder(new X500Name(ca.getSubjectX500Principal().getName()),
                BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(from.plus(Duration.ofDays(30))),
                new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false, usage);
        b.addExtension(Extension.subjectAlternativeName, false, sans);
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(caKeys.getPrivate())));
    }

    private X509Certificate issue(String csrPem, String expected) throws Exception {
        try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) p.readObject());
            String cn = IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue());
            if (!cn.equals(expected)) {
                throw new IllegalArgumentException("name mismatch: " + cn);
            }
            issued.incrementAndGet();
            return certificate("CN=" + cn, csr.getPublicKey(), Instant.now().minusSeconds(60), Duration.ofDays(30), false, false);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            SnakeRoute route = SnakeRoute.match(ex.getRequestMethod(), path).orElse(null);
            if (route == null) {
                reply(ex, 404, new ErrorReply("no such endpoint"));
                return;
            }
            String rack = null;
            if (route.mutualTls()) {
                try {
                    X509Certificate peer = (X509Certificate) ((HttpsExchange) ex).getSSLSession().getPeerCertificates()[0];
                    rack = IETFUtils.valueToString(new X500Name(peer.getSubjectX500Principal().getName())
                            .getRDNs(BCStyle.CN)[0].getFirst().getValue());
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    reply(ex, 401, new ErrorReply("client certificate required"));
                    return;
                }
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            switch (route) {
                case CA -> reply(ex, 200, new CaInfo(Pem.certificates(ca), caHash()));
                case ENROL -> {
                    EnrolRequest r = JSON.read(body, EnrolRequest.class);
                    String forRack = tokens.remove(r.token());
                    if (forRack == null) {
                        reply(ex, 401, new ErrorReply("unknown token"));
                        return;
                    }
                    X509Certificate c = issue(r.csr(), forRack);
                    var signer = natsSigner;
                    reply(ex, 200, new EnrolReply(forRack, Pem.certificates(c, ca), Pem.certificates(ca),
                            signer == null || r.natsKey() == null ? null : signer.apply(forRack, r.natsKey())));
                }
                case HEARTBEAT -> {
                    ErrorAnswer refusal = heartbeatRefusal;
                    if (refusal != null) {
                        reply(ex, refusal.status(), new ErrorReply(refusal.reason()));
                        return;
                    }
                    heartbeats.add(JSON.read(body, Heartbeat.class));
                    reply(ex, 200, new HeartbeatReply(rack, "online", List.of()));
                }
                case RENEW -> reply(ex, 200, new RenewReply(rack, Pem.certificates(issue(JSON.read(body, RenewRequest.class).csr(), rack), ca)));
                case COMMANDS -> {
                    Command first = commands.poll(500, TimeUnit.MILLISECONDS); // a short long poll
                    List<Command> batch = new java.util.ArrayList<>();
                    if (first != null) {
                        batch.add(first);
                        commands.drainTo(batch);
                    }
                    reply(ex, 200, new CommandBatch(batch));
                }
                case COMMAND_RESULT -> {
                    CommandResult r = JSON.read(body, CommandResult.class);
                    results.add(r);
                    reply(ex, 200, new CommandAck(r.id(), r.status()));
                }
                case ARTIFACT -> {
                    byte[] a = artifacts.get(route.rest(path));
                    if (a == null) {
                        reply(ex, 404, new ErrorReply("no artifact sha256:" + route.rest(path)));
                        return;
                    }
                    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                    ex.sendResponseHeaders(200, a.length);
                    ex.getResponseBody().write(a);
                }
            }
        } catch (Exception e) {
            reply(ex, 500, new ErrorReply(e.toString()));
        } finally {
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, Object message) throws IOException {
        byte[] b = JSON.write(message);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
