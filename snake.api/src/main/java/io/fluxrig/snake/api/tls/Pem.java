package io.fluxrig.snake.api.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** PEM text and files for the Snake's certificates and keys, on both ends. Stateless. */
public final class Pem {
    private Pem() {
    }

    /**
     * @param type e.g. {@code CERTIFICATE}, {@code PRIVATE KEY}
     * @param der the DER bytes
     * @return the PEM text, 64 characters a line
     */
    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * @param certs certificates
     * @return their PEM text, in order
     * @throws GeneralSecurityException when a certificate cannot be encoded
     */
    public static String certificates(X509Certificate... certs) throws GeneralSecurityException {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append(encode("CERTIFICATE", c.getEncoded()));
        }
        return sb.toString();
    }

    /**
     * @param pem one or more PEM certificates
     * @return the certificates in order
     * @throws GeneralSecurityException when the text holds no valid certificate
     */
    public static List<X509Certificate> parseCertificates(String pem) throws GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        for (var c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no certificate in PEM text");
        }
        return out;
    }

    /**
     * @param file a PEM file with one or more certificates
     * @return the first
     * @throws IOException when the file cannot be read
     * @throws GeneralSecurityException when it holds no valid certificate
     */
    public static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII)).get(0);
    }

    /**
     * @param pem a {@code PRIVATE KEY} (PKCS#8) in PEM
     * @param algorithm the key's algorithm, e.g. {@code EC}
     * @return the key
     * @throws GeneralSecurityException when the text is not such a key
     */
    public static PrivateKey privateKey(String pem, String algorithm) throws GeneralSecurityException {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not a PEM private key: " + e.getMessage(), e);
        }
    }

    /**
     * @param cert a certificate
     * @return {@code sha256:<hex>} of its DER encoding: what racks pin
     * @throws GeneralSecurityException when it cannot be encoded
     */
    public static String hash(X509Certificate cert) throws GeneralSecurityException {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }

    /**
     * Writes a file atomically and durably: a temporary file beside it, forced to disk, then
     * renamed over it. With {@code secret} the temporary file is created mode 0600 before a byte
     * is written, so a private key is never readable by others, not even briefly.
     *
     * @param file the target
     * @param text the content
     * @param secret whether the file holds a secret
     * @throws IOException when writing fails
     */
    public static void write(Path file, String text, boolean secret) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true); // on disk before the rename makes it current
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
