package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The rack's Snake identity in {@code <rack data>/snake/}: {@code rack.key} (PKCS#8, mode 0600,
 * created before a byte is written; it never leaves the rack), {@code rack.crt} (certificate and
 * CA chain from the Mixer) and {@code ca.crt} (the pinned Mixer CA); a renewal replaces the first
 * two through {@code .next} files ({@link #storeRenewed}). Immutable once loaded.
 *
 * @param key the private key
 * @param chain leaf first
 * @param ca the Mixer CA, the only trust anchor of the Snake
 */
record SnakeIdentity(PrivateKey key, X509Certificate[] chain, X509Certificate ca) {
    static final String KEY = "rack.key";
    static final String CERT = "rack.crt";
    static final String CA = "ca.crt";
    /** Suffix of a renewed key or certificate written completely before it replaces the current one. */
    private static final String NEXT = ".next";

    /** @param dir the snake folder @return whether an enrolled identity is stored there */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(KEY)) && Files.exists(dir.resolve(CERT)) && Files.exists(dir.resolve(CA));
    }

    /**
     * @param dir the snake folder
     * @return the stored identity
     * @throws IOException when the files cannot be read
     * @throws GeneralSecurityException when they are invalid
     */
    public static SnakeIdentity load(Path dir) throws IOException, GeneralSecurityException {
        finishRenewal(dir);
        PrivateKey key = Pem.privateKey(Files.readString(dir.resolve(KEY)), "EC");
        List<X509Certificate> chain = Pem.parseCertificates(Files.readString(dir.resolve(CERT)));
        return new SnakeIdentity(key, chain.toArray(X509Certificate[]::new), Pem.readCertificate(dir.resolve(CA)));
    }

    /**
     * Makes a new EC P-256 key pair and stores the private key (mode 0600).
     *
     * @param dir the snake folder
     * @param random randomness
     * @return the key pair
     * @throws IOException when the key cannot be written
     * @throws GeneralSecurityException when the JDK has no P-256
     */
    static KeyPair newKey(Path dir, SecureRandom random) throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair kp = g.generateKeyPair();
        Pem.write(dir.resolve(KEY), Pem.encode("PRIVATE KEY", kp.getPrivate().getEncoded()), true);
        return kp;
    }

    /** Stores the certificate chain and CA after enrolment (the key was stored before). */
    static void storeCertificates(Path dir, String chainPem, String caPem) throws IOException {
        Pem.write(dir.resolve(CA), caPem, false);
        Pem.write(dir.resolve(CERT), chainPem, false);
    }

    /**
     * Stores a renewed key and certificate so that a crash at any point leaves one matching pair.
     * Both are first written completely beside the current ones ({@code rack.key.next} mode 0600,
     * then {@code rack.crt.next}); only then is each renamed over its current file, key first.
     * {@link #finishRenewal} (run by every {@link #load}) completes a rotation interrupted after
     * {@code rack.crt.next} exists and discards one interrupted before: the Mixer keeps accepting
     * the previous certificate until it sees the new one, so either outcome works.
     *
     * @param dir the snake folder
     * @param key the new private key (made here, on the rack)
     * @param chainPem the new certificate chain from the Mixer
     * @throws IOException when the files cannot be written
     */
    static void storeRenewed(Path dir, PrivateKey key, String chainPem) throws IOException {
        Pem.write(dir.resolve(KEY + NEXT), Pem.encode("PRIVATE KEY", key.getEncoded()), true);
        Pem.write(dir.resolve(CERT + NEXT), chainPem, false); // from here on the rotation is committed
        finishRenewal(dir);
    }

    static void finishRenewal(Path dir) throws IOException {
        Path keyNext = dir.resolve(KEY + NEXT);
        Path certNext = dir.resolve(CERT + NEXT);
        if (!Files.exists(certNext)) {
            Files.deleteIfExists(keyNext); // interrupted before the commit point: keep the current pair
            return;
        }
        if (Files.exists(keyNext)) {
            Files.move(keyNext, dir.resolve(KEY), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(certNext, dir.resolve(CERT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * @return an SSLContext presenting this identity and trusting only the Mixer CA (TLS 1.3)
     * @throws GeneralSecurityException when the material is invalid
     */
    public SSLContext sslContext() throws GeneralSecurityException {
        // Not TlsContexts.mutual: the Mixer's certificate must also be a server certificate for the
        // address dialled, which the JDK's PKIX check alone does not require.
        return TlsContexts.context(TlsContexts.keyManagers(key, chain),
                io.fluxrig.snake.api.tls.MixerServerCheck.wrap(TlsContexts.trustOnly(ca)));
    }
}
