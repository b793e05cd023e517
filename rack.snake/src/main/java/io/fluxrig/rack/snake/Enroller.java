package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.CaInfo;
import io.fluxrig.snake.api.EnrolReply;
import io.fluxrig.snake.api.EnrolRequest;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * First-start enrolment: make the key locally, trust the Mixer only through the pinned CA hash,
 * fetch the CA, send the CSR with the one-time token, verify and store what comes back.
 * Blocking; called on the Snake thread. Stateless apart from its inputs.
 */
final class Enroller {
    private final String mixer;
    private final String rack;
    private final Path dir;
    private final SecureRandom random;

    /**
     * @param mixer HOST:PORT of the Mixer's Snake endpoint
     * @param rack this rack's name (the CSR's CN)
     * @param dir the snake folder ({@code <rack data>/snake})
     * @param random randomness for the key
     */
    public Enroller(String mixer, String rack, Path dir, SecureRandom random) {
        this.mixer = mixer;
        this.rack = rack;
        this.dir = dir;
        this.random = random;
    }

    /**
     * @param token the enrolment token
     * @param caHash the pinned {@code sha256:<hex>} of the Mixer CA
     * @return the stored identity
     * @throws SnakeException with the Mixer's reason (401/400) or the TLS reason (e.g. hash mismatch)
     * @throws InterruptedException when interrupted
     */
    public SnakeIdentity enrol(String token, String caHash) throws SnakeException, InterruptedException {
        try {
            HttpClient http = TlsContexts.http2(TlsContexts.context(null, new PinnedCaTrust(caHash)));
            HttpResponse<byte[]> caReply = send(http, HttpRequest.newBuilder(uri(SnakeRoute.CA)).GET());
            CaInfo caInfo = SnakeCodec.json().read(caReply.body(), CaInfo.class);
            X509Certificate ca = Pem.parseCertificates(SnakeCodec.required(caInfo.ca(), "ca")).get(0);
            if (!Pem.hash(ca).equalsIgnoreCase(caHash)) {
                throw new SnakeException(0, "Mixer CA hash mismatch: pinned " + caHash + ", got " + Pem.hash(ca));
            }
            KeyPair keys = SnakeIdentity.newKey(dir, random);
            NatsCredential nats = new NatsCredential();
            byte[] body = SnakeCodec.json().write(new EnrolRequest(token, Csr.pem(rack, keys), nats.publicKey()));
            HttpResponse<byte[]> reply = send(http, HttpRequest.newBuilder(uri(SnakeRoute.ENROL))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            EnrolReply f = SnakeCodec.json().read(reply.body(), EnrolReply.class);
            String certificate = SnakeCodec.required(f.certificate(), "certificate");
            List<X509Certificate> chain = Pem.parseCertificates(certificate);
            X509Certificate leaf = chain.get(0);
            leaf.verify(ca.getPublicKey()); // issued by the pinned CA
            if (!leaf.getPublicKey().equals(keys.getPublic())) {
                throw new SnakeException(0, "the Mixer returned a certificate for another key");
            }
            nats.store(dir, f.natsJwt()); // checked first: a refused credential leaves the rack unenrolled
            SnakeIdentity.storeCertificates(dir, certificate, Pem.certificates(ca));
            return SnakeIdentity.load(dir);
        } catch (IOException | GeneralSecurityException e) {
            throw new SnakeException(0, "enrolment with " + mixer + " failed: " + Snake.reason(e));
        }
    }

    private HttpResponse<byte[]> send(HttpClient http, HttpRequest.Builder b)
            throws IOException, InterruptedException, SnakeException {
        HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new SnakeException(r.statusCode(), "the Mixer refused enrolment (" + r.statusCode() + "): "
                    + SnakeCodec.json().error(r.body()));
        }
        return r;
    }

    private URI uri(SnakeRoute route) {
        return URI.create("https://" + mixer + route.path());
    }
}
