package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.RenewReply;
import io.fluxrig.snake.api.RenewRequest;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;

/**
 * One certificate renewal over the Snake: a new EC P-256 key made here (it never leaves the
 * rack), a CSR sent on the current mutual-TLS connection ({@code POST /snake/renew}), the answer
 * checked (issued by the pinned CA, for this rack, for the new key) and stored atomically
 * ({@link SnakeIdentity#storeRenewed}). Blocking; called with the Snake's renewal lock held.
 */
final class Renewal {
    private final SnakeSettings settings;
    private final SecureRandom random;

    Renewal(SnakeSettings settings, SecureRandom random) {
        this.settings = settings;
        this.random = random;
    }

    SnakeIdentity renew(HttpClient http, SnakeIdentity current) throws SnakeException, InterruptedException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = g.generateKeyPair(); // in memory until the Mixer has signed it
            NatsCredential nats = new NatsCredential();
            byte[] body = SnakeCodec.json().write(new RenewRequest(Csr.pem(settings.rack(), keys), nats.publicKey()));
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("https://" + settings.mixer() + SnakeRoute.RENEW.path()))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new SnakeException(r.statusCode(), "the Mixer refused the renewal (" + r.statusCode() + "): "
                        + SnakeCodec.json().error(r.body()));
            }
            RenewReply reply = SnakeCodec.json().read(r.body(), RenewReply.class);
            String certificate = SnakeCodec.required(reply.certificate(), "certificate");
            List<X509Certificate> chain = Pem.parseCertificates(certificate);
            X509Certificate leaf = chain.get(0);
            leaf.verify(current.ca().getPublicKey()); // issued by the CA pinned at enrolment
            if (!leaf.getPublicKey().equals(keys.getPublic())) {
                throw new SnakeException(0, "the Mixer returned a certificate for another key");
            }
            if (!leaf.getSubjectX500Principal().equals(current.chain()[0].getSubjectX500Principal())) {
                throw new SnakeException(0, "the Mixer returned a certificate for " + leaf.getSubjectX500Principal());
            }
            nats.store(settings.dir(), reply.natsJwt()); // valid on its own: the Mixer issued it with the certificate
            SnakeIdentity.storeRenewed(settings.dir(), keys.getPrivate(), certificate);
            return SnakeIdentity.load(settings.dir());
        } catch (IOException | GeneralSecurityException e) {
            throw new SnakeException(0, "certificate renewal failed: " + Snake.reason(e));
        }
    }
}
