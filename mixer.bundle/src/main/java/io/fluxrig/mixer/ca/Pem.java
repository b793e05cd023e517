package io.fluxrig.mixer.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** PEM and file helpers for the Mixer's certificate material. Stateless. */
public final class Pem {
    private Pem() {
    }

    /**
     * @param type e.g. {@code CERTIFICATE}
     * @param der the DER bytes
     * @return the PEM text
     */
    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
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
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (var c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no certificate in PEM text");
        }
        return out;
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
     * Writes a file atomically; with {@code secret} it is created mode 0600 before any byte is
     * written, so a private key is never readable by others, not even briefly.
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
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
