package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.tls.Pem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;

/**
 * Builds a PKCS#10 certificate signing request (RFC 2986) with the JDK alone, so the rack needs
 * no BouncyCastle: {@code SEQUENCE { CertificationRequestInfo, ecdsa-with-SHA256, signature }}
 * with subject {@code CN=<rack name>}, the key's SubjectPublicKeyInfo as the JDK encodes it, and
 * no attributes. The Mixer takes only the CN and the public key from it. Stateless.
 */
final class Csr {
    private static final byte[] OID_CN = {0x06, 0x03, 0x55, 0x04, 0x03};
    /** ecdsa-with-SHA256, 1.2.840.10045.4.3.2, without parameters. */
    private static final byte[] ALG_ECDSA_SHA256 = {0x30, 0x0a, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};

    private Csr() {
    }

    /**
     * @param rack the rack name (letters, digits, '_', '.', '-')
     * @param keys an EC key pair; the private key only signs, it is not encoded
     * @return the CSR in PEM
     * @throws GeneralSecurityException when signing fails
     */
    static String pem(String rack, KeyPair keys) throws GeneralSecurityException {
        byte[] name = tlv(0x30, tlv(0x31, tlv(0x30, OID_CN, tlv(0x0c, rack.getBytes(StandardCharsets.UTF_8)))));
        byte[] info = tlv(0x30, new byte[] {0x02, 0x01, 0x00}, name, keys.getPublic().getEncoded(), new byte[] {(byte) 0xa0, 0x00});
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keys.getPrivate());
        s.update(info);
        byte[] sig = s.sign(); // DER ECDSA-Sig-Value, as X.509 wants it inside the BIT STRING
        byte[] bits = new byte[sig.length + 1];
        System.arraycopy(sig, 0, bits, 1, sig.length); // leading 0: no unused bits
        byte[] der = tlv(0x30, info, ALG_ECDSA_SHA256, tlv(0x03, bits));
        return Pem.encode("CERTIFICATE REQUEST", der);
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
