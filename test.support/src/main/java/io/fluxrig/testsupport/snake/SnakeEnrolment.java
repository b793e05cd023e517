package io.fluxrig.testsupport.snake;

import io.fluxrig.snake.api.CaInfo;
import io.fluxrig.snake.api.EnrolReply;
import io.fluxrig.snake.api.EnrolRequest;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A rack's enrolment as the tests' Snake clients do it (the Mixer tests' {@code FakeRack}, the
 * fleet simulator's {@code SimRack}), built only on snake.api's contract: trust the Mixer only
 * through the pinned CA hash ({@link #pinned}), {@code GET /ca}, make the EC P-256 key after the CA
 * checked out, {@code POST /enrol} with the token and a CSR, check that the certificate answered
 * chains to that CA and holds this key. The transport is the caller's ({@link Exchange}: a
 * blocking JDK client, a shared one for a fleet). Stateless.
 */
public final class SnakeEnrolment {
    private static final SnakeCodec JSON = SnakeCodec.json();

    private SnakeEnrolment() {
    }

    /** The Mixer answered with an error, or the exchange failed (status 0). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        /** @param status the HTTP status, 0 when the exchange itself failed @param reason why */
        public Refused(int status, String reason) {
            super(reason);
            this.status = status;
        }

        /** @return the HTTP status, 0 when the exchange itself failed */
        public int status() {
            return status;
        }
    }

    /** One Snake request; answers the body of a 200 or throws {@link Refused} with the status and the Mixer's reason. */
    public interface Exchange {
        /**
         * @param route {@link SnakeRoute#CA} or {@link SnakeRoute#ENROL}
         * @param json the body (null for a GET)
         * @param ca the Mixer CA once known (null for {@code GET /ca}): a transport may trust only it from then on
         */
        byte[] send(SnakeRoute route, byte[] json, X509Certificate ca) throws Refused, IOException, InterruptedException,
                GeneralSecurityException;
    }

    /** What enrolment gave: the key made here, the chain (leaf first), the Mixer CA and its PEM, a NATS JWT or null. */
    public record Enrolled(KeyPair keys, X509Certificate[] chain, String chainPem, X509Certificate ca, String natsJwt) {
    }

    /**
     * Enrols one rack.
     *
     * @param mixer the transport
     * @param rack the rack's name (the CSR's CN)
     * @param token its one-time token
     * @param caHash the pinned CA hash
     * @param natsPublicKey the rack's NATS public key (null: none asked for)
     * @return the identity
     * @throws Refused the Mixer refused, or its CA or certificate did not check out
     */
    public static Enrolled enrol(Exchange mixer, String rack, String token, String caHash, String natsPublicKey)
            throws Refused, IOException, InterruptedException, GeneralSecurityException {
        CaInfo info = JSON.read(mixer.send(SnakeRoute.CA, null, null), CaInfo.class);
        X509Certificate ca = Pem.parseCertificates(info.ca()).get(0);
        if (!Pem.hash(ca).equals(caHash)) {
            throw new Refused(0, "Mixer CA hash mismatch: pinned " + caHash + ", got " + Pem.hash(ca));
        }
        KeyPair keys = ecKey();
        EnrolReply reply = JSON.read(mixer.send(SnakeRoute.ENROL, JSON.write(new EnrolRequest(token, csr(rack, keys),
                natsPublicKey)), ca), EnrolReply.class);
        return new Enrolled(keys, checked(reply.certificate(), ca, keys), reply.certificate(), ca, reply.natsJwt());
    }

    /**
     * @param chainPem the chain the Mixer answered (leaf first)
     * @param ca the Mixer CA
     * @param keys the key pair the CSR was made with
     * @return the chain, once its leaf is signed by the CA and holds the public key
     * @throws Refused when it does not
     */
    public static X509Certificate[] checked(String chainPem, X509Certificate ca, KeyPair keys) throws Refused, GeneralSecurityException {
        X509Certificate[] chain = Pem.parseCertificates(chainPem).toArray(X509Certificate[]::new);
        chain[0].verify(ca.getPublicKey());
        if (!chain[0].getPublicKey().equals(keys.getPublic())) {
            throw new Refused(0, "the Mixer returned a certificate for another key");
        }
        return chain;
    }

    /** @return a new EC P-256 key pair, the rack's kind */
    public static KeyPair ecKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    /** @return a PEM PKCS#10 request for {@code CN=cn}, signed with the key */
    public static String csr(String cn, KeyPair kp) throws GeneralSecurityException, IOException {
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

    /**
     * @param caHash the pinned CA hash
     * @return a trust manager that accepts the Mixer's chain only when it holds the pinned CA and
     *     validates against it (what a rack trusts before it has the CA)
     */
    public static X509TrustManager pinned(String caHash) {
        return new Pinned(caHash);
    }

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
