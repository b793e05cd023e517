package io.fluxrig.mixer.operator;

import io.fluxrig.mixer.ca.ServerIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key store Felix HTTP reads for the operator HTTPS endpoint: the Mixer's server key and its
 * chain (issued by the Mixer CA at each start), in {@code <data>/operator-https.p12}. Felix HTTP
 * takes a key store file and passwords, not an in-memory key, so the file is written at each
 * start: created mode 0600 before any byte is written, under a fresh random password that exists
 * only in memory and in the {@code org.apache.felix.http} configuration of this framework run.
 *
 * @param file the PKCS12 file
 * @param password its store and key password
 */
public record HttpsKeystore(Path file, String password) {
    static final String FILE = "operator-https.p12";

    /**
     * Writes (replaces) the key store; blocking file I/O, called on the Mixer's start thread.
     *
     * @param dir the Mixer data folder
     * @param identity the server key and chain
     * @param random randomness for the password
     * @return the written key store
     * @throws IOException when the file cannot be written
     */
    static HttpsKeystore write(Path dir, ServerIdentity identity, SecureRandom random) throws IOException {
        byte[] raw = new byte[24];
        random.nextBytes(raw);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path file = dir.resolve(FILE);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("mixer", identity.key(), password.toCharArray(), identity.chain());
            Files.deleteIfExists(file); // a new file, so the mode below applies before any byte
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ks.store(out, password.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("the operator HTTPS key store could not be made: " + e.getMessage(), e);
        }
        return new HttpsKeystore(file, password);
    }
}
