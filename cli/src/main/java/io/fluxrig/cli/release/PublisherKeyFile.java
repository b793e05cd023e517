package io.fluxrig.cli.release;

import io.fluxrig.snake.api.release.PublisherKeys;
import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A publisher's key file: two PEM blocks, {@code PRIVATE KEY} (PKCS#8, Ed25519) and
 * {@code PUBLIC KEY} (X.509), written mode 0600 by {@code release keygen} and read by
 * {@code release sign}. The public key is kept beside the private one because the JDK cannot
 * derive it from an Ed25519 private key. Stateless.
 */
final class PublisherKeyFile {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PublisherKeyFile() {
    }

    /** @param keys a key pair @return the file's text */
    static String text(KeyPair keys) {
        return Pem.encode("PRIVATE KEY", keys.getPrivate().getEncoded()) + Pem.encode("PUBLIC KEY", keys.getPublic().getEncoded());
    }

    /**
     * @param file a key file
     * @return its key pair, checked to belong together
     * @throws IOException naming the file and the reason
     */
    static KeyPair read(Path file) throws IOException {
        String text = Files.readString(file);
        PrivateKey priv = null;
        PublicKey pub = null;
        Matcher m = BLOCK.matcher(text);
        try {
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
                if (m.group(1).equals("PRIVATE KEY")) {
                    priv = Pem.privateKey(m.group(0), PublisherKeys.ALGORITHM);
                } else if (m.group(1).equals("PUBLIC KEY")) {
                    pub = KeyFactory.getInstance(PublisherKeys.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
                }
            }
            if (priv == null || pub == null) {
                throw new IOException(file + ": not a publisher key file (a PRIVATE KEY and a PUBLIC KEY block, as written by "
                        + "'fluxrig release keygen')");
            }
            Signature s = Signature.getInstance(PublisherKeys.ALGORITHM);
            s.initSign(priv);
            byte[] probe = "fluxrig publisher key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(PublisherKeys.ALGORITHM);
            v.initVerify(pub);
            v.update(probe);
            if (!v.verify(sig)) {
                throw new IOException(file + ": its private and public key do not belong together");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + ": not an Ed25519 publisher key file: " + e.getMessage(), e);
        }
        return new KeyPair(pub, priv);
    }
}
