package io.fluxrig.nats.local.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The certificate authority of the NATS servers fluxrig starts on this machine ({@code fluxrig
 * nats}, the demo, the tests, the benchmarks): an EC P-256 key ({@code ca.key}, mode 0600, in a
 * 0700 folder) and a self-signed certificate ({@code ca.crt}: what every NATS client of these
 * servers trusts, and nothing else), made on first use and kept. It issues the servers' TLS
 * certificates ({@link #issueServer}).
 *
 * <p>A CA of its own, not the Mixer's: NATS starts before the Mixer and runs without one, and a
 * certificate of the Mixer CA with the server usage for 127.0.0.1 would let whoever reads a
 * nats-server's key file pose as the Mixer to racks dialling 127.0.0.1 (they trust the Mixer CA
 * for the Snake). This CA is trusted by NATS clients only.
 *
 * <p>Certificates are built from {@link Der} and signed with the JDK's {@code SHA256withECDSA}.
 * Immutable and thread-safe after construction; the file methods do blocking I/O.
 */
public final class LocalCa {
    /** File name of the CA certificate (PEM) in the CA's folder: the file clients name. */
    public static final String CERT = "ca.crt";
    /** File name of the CA key (PKCS#8 PEM, 0600) in the CA's folder. */
    public static final String KEY = "ca.key";
    private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final Path dir;
    private final PrivateKey key;
    private final X509Certificate cert;
    private final SecureRandom random = new SecureRandom();

    private LocalCa(Path dir, PrivateKey key, X509Certificate cert) {
        this.dir = dir;
        this.key = key;
        this.cert = cert;
    }

    /**
     * @param dir the CA's folder: created (0700) with a new CA when it holds none, else read
     * @return the CA of that folder
     * @throws IOException when the files cannot be read or written, or hold no CA
     */
    public static LocalCa loadOrCreate(Path dir) throws IOException {
        Path certFile = dir.resolve(CERT);
        Path keyFile = dir.resolve(KEY);
        try {
            if (Files.exists(certFile) && Files.exists(keyFile)) {
                return new LocalCa(dir, readKey(keyFile), readCertificate(certFile));
            }
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            KeyPair kp = ecKey(new SecureRandom());
            String name = "fluxrig NATS CA " + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
            Instant now = Instant.now();
            byte[] extensions = Der.sequence(
                    extension("2.5.29.19", true, Der.sequence(Der.bool(true), Der.integer(BigInteger.ZERO))),
                    extension("2.5.29.15", true, Der.bits(new byte[] {0x06}, 1))); // keyCertSign, cRLSign
            X509Certificate c = sign(name, name, kp.getPublic().getEncoded(), now.minus(Duration.ofMinutes(5)),
                    now.plus(Duration.ofDays(3650)), extensions, kp.getPrivate(), new SecureRandom());
            write(keyFile, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), true);
            write(certFile, pem("CERTIFICATE", c.getEncoded()), false);
            return new LocalCa(dir, kp.getPrivate(), c);
        } catch (GeneralSecurityException e) {
            throw new IOException("NATS CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** @return the CA's folder */
    public Path dir() {
        return dir;
    }

    /** @return the CA certificate file ({@value #CERT}): what NATS clients trust */
    public Path certificateFile() {
        return dir.resolve(CERT);
    }

    public X509Certificate certificate() {
        return cert;
    }

    /**
     * Issues a new server certificate (a new key each time) and writes it to {@code folder}
     * ({@code server.crt}, {@code server.key} mode 0600, replacing earlier ones): the server
     * ({@code serverAuth}) and route client ({@code clientAuth}) usages, a subject alternative name
     * for each of {@code names}.
     *
     * @param folder where the files go (created when missing)
     * @param names host names and IP addresses clients and routes dial (e.g. 127.0.0.1, localhost)
     * @param lifetime how long the certificate is valid
     * @return the files, with this CA's certificate
     */
    public ServerTls issueServer(Path folder, List<String> names, Duration lifetime) throws IOException {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one name");
        }
        try {
            KeyPair kp = ecKey(random);
            List<byte[]> sans = new ArrayList<>();
            for (String n : names) {
                sans.add(ipLiteral(n) ? Der.implicit(7, InetAddress.getByName(n).getAddress())
                        : Der.implicit(2, n.getBytes(StandardCharsets.US_ASCII)));
            }
            byte[] extensions = Der.sequence(
                    extension("2.5.29.19", true, Der.sequence()),
                    extension("2.5.29.15", true, Der.bits(new byte[] {(byte) 0x80}, 7)), // digitalSignature
                    extension("2.5.29.37", false, Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))),
                    extension("2.5.29.17", false, Der.sequence(sans.toArray(byte[][]::new))));
            Instant now = Instant.now();
            X509Certificate c = sign(cert.getSubjectX500Principal().getName().replaceFirst("^CN=", ""), "fluxrig nats-server",
                    kp.getPublic().getEncoded(), now.minus(Duration.ofMinutes(5)), now.plus(lifetime), extensions, key, random);
            Files.createDirectories(folder);
            Path keyFile = folder.resolve("server.key");
            Path certFile = folder.resolve("server.crt");
            write(keyFile, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), true);
            write(certFile, pem("CERTIFICATE", c.getEncoded()), false);
            return new ServerTls(certificateFile().toAbsolutePath(), certFile.toAbsolutePath(), keyFile.toAbsolutePath());
        } catch (GeneralSecurityException e) {
            throw new IOException("issuing a NATS server certificate in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** @return true for an IPv4 or IPv6 literal (never looked up as a name) */
    private static boolean ipLiteral(String n) {
        return n.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || n.contains(":");
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
                : Der.sequence(Der.oid(oid), Der.octets(value));
    }

    private static byte[] name(String cn) {
        return Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8(cn))));
    }

    private static X509Certificate sign(String issuer, String subject, byte[] publicKeyInfo, Instant notBefore, Instant notAfter,
            byte[] extensions, PrivateKey signer, SecureRandom random) throws GeneralSecurityException {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_SHA256));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
                Der.integer(new BigInteger(127, random).add(BigInteger.ONE)),
                algorithm,
                name(issuer),
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                name(subject),
                publicKeyInfo,
                Der.explicit(3, extensions));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(signer, random);
        s.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bits(s.sign(), 0));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static KeyPair ecKey(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        String b64 = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(file + " is not a PEM private key: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Atomically; a secret's temporary file is 0600 before a byte is written. */
    private static void write(Path file, String text, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "NATS CA " + dir + " (" + cert.getSubjectX500Principal().getName() + ")";
    }
}
