package io.fluxrig.rack.runtime.snake;

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
import java.util.Map;

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
            byte[] body = SnakeJson.object("csr", Csr.pem(settings.rack(), keys));
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("https://" + settings.mixer() + "/snake/renew"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> f = SnakeJson.fields(r.body());
            if (r.statusCode() != 200) {
                throw new SnakeException(r.statusCode(), "the Mixer refused the renewal (" + r.statusCode() + "): "
                        + f.getOrDefault("error", "no reason given"));
            }
            List<X509Certificate> chain = SnakeIdentity.certificates(f.getOrDefault("certificate", ""));
            X509Certificate leaf = chain.get(0);
            leaf.verify(current.ca().getPublicKey()); // issued by the CA pinned at enrolment
            if (!leaf.getPublicKey().equals(keys.getPublic())) {
                throw new SnakeException(0, "the Mixer returned a certificate for another key");
            }
            if (!leaf.getSubjectX500Principal().equals(current.chain()[0].getSubjectX500Principal())) {
                throw new SnakeException(0, "the Mixer returned a certificate for " + leaf.getSubjectX500Principal());
            }
            SnakeIdentity.storeRenewed(settings.dir(), keys.getPrivate(), f.get("certificate"));
            return SnakeIdentity.load(settings.dir());
        } catch (IOException | GeneralSecurityException e) {
            throw new SnakeException(0, "certificate renewal failed: " + Snake.reason(e));
        }
    }
}
