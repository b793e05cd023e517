package io.fluxrig.nats.trust;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * An nkey: an Ed25519 key pair in NATS's text form. The public key is 56 characters of base32
 * (a prefix byte naming the role, the 32-byte key, a CRC-16); the seed (the private part) is 58
 * characters starting with {@code S} and the role's letter ({@code SO}, {@code SA}, {@code SU}).
 * Ed25519 comes from the JDK, so no bundle needs BouncyCastle for it (jnats' own {@code NKey}
 * does).
 *
 * <p>Immutable and thread-safe; {@link #seed()} hands out a copy.
 */
public final class NKeyPair {
    /** The nkey roles fluxrig uses and their prefix bytes. */
    public enum Type {
        OPERATOR(14 << 3, 'O'), ACCOUNT(0, 'A'), USER(20 << 3, 'U');

        final int prefix;
        final char letter;

        Type(int prefix, char letter) {
            this.prefix = prefix;
            this.letter = letter;
        }

        static Type ofPrefix(int prefix) {
            for (Type t : values()) {
                if (t.prefix == prefix) {
                    return t;
                }
            }
            throw new IllegalArgumentException("not an operator, account or user nkey (prefix byte " + prefix + ")");
        }
    }

    private static final int SEED_PREFIX = 18 << 3;

    private final Type type;
    private final byte[] rawSeed;
    private final String publicKey;
    private final PrivateKey privateKey;

    private NKeyPair(Type type, byte[] rawSeed, byte[] rawPublic) {
        this.type = type;
        this.rawSeed = rawSeed.clone();
        byte[] p = new byte[33];
        p[0] = (byte) type.prefix;
        System.arraycopy(rawPublic, 0, p, 1, 32);
        this.publicKey = Base32.encode(withCrc(p));
        try {
            this.privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519,
                    this.rawSeed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** @return a new random key pair of that role */
    public static NKeyPair generate(Type type) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            byte[] seed = ((EdECPrivateKey) kp.getPrivate()).getBytes().orElseThrow();
            return new NKeyPair(type, seed, encodePoint((EdECPublicKey) kp.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /**
     * @param seed an nkey seed ({@code SO...}, {@code SA...}, {@code SU...})
     * @throws IllegalArgumentException when it is not one (bad base32, checksum or role)
     */
    public static NKeyPair fromSeed(String seed) {
        byte[] b = checked(seed.trim());
        if (b.length != 34 || (b[0] & 0xF8) != SEED_PREFIX) {
            throw new IllegalArgumentException("not an nkey seed (it must start with S and hold 32 bytes)");
        }
        Type type = Type.ofPrefix(((b[0] & 0x07) << 5) | ((b[1] & 0xF8) >> 3));
        byte[] raw = Arrays.copyOfRange(b, 2, 34);
        return new NKeyPair(type, raw, publicOf(raw));
    }

    /**
     * @param publicKey an nkey public key
     * @return its role
     * @throws IllegalArgumentException when it is not an operator, account or user public key
     */
    public static Type typeOf(String publicKey) {
        byte[] b = checked(publicKey);
        if (b.length != 33) {
            throw new IllegalArgumentException("not an nkey public key: " + publicKey.length() + " characters");
        }
        return Type.ofPrefix(b[0] & 0xFF);
    }

    /** @return true when {@code key} is a well-formed public key of that role */
    public static boolean isPublicKey(String key, Type type) {
        try {
            return key != null && typeOf(key) == type;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return the raw 32-byte Ed25519 public key of an nkey public key */
    static byte[] rawPublic(String publicKey) {
        return Arrays.copyOfRange(checked(publicKey), 1, 33);
    }

    public Type type() {
        return type;
    }

    /** @return the public key ({@code O...}, {@code A...}, {@code U...}) */
    public String publicKey() {
        return publicKey;
    }

    /** @return the seed, the secret part: a copy the caller should overwrite when done */
    public char[] seed() {
        byte[] b = new byte[34];
        b[0] = (byte) (SEED_PREFIX | (type.prefix >> 5));
        b[1] = (byte) ((type.prefix & 31) << 3);
        System.arraycopy(rawSeed, 0, b, 2, 32);
        return Base32.encode(withCrc(b)).toCharArray();
    }

    /** @return the Ed25519 signature of {@code data} */
    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** @return true when {@code signature} is this key's signature of {@code data} */
    public static boolean verify(String publicKey, byte[] data, byte[] signature) {
        try {
            byte[] raw = rawPublic(publicKey);
            byte[] le = raw.clone();
            boolean xOdd = (le[31] & 0x80) != 0;
            le[31] &= 0x7F;
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[i] = le[31 - i];
            }
            var spec = new java.security.spec.EdECPublicKeySpec(NamedParameterSpec.ED25519,
                    new java.security.spec.EdECPoint(xOdd, new BigInteger(1, be)));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(spec));
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The JDK derives a public key only while generating a pair: a generator fed with a
     * "random" source that returns exactly the seed (the JDK's Ed25519 generator takes its 32
     * private bytes from {@code nextBytes}) yields the pair of that seed.
     */
    private static byte[] publicOf(byte[] rawSeed) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                private static final long serialVersionUID = 1L;

                @Override
                public void nextBytes(byte[] bytes) {
                    if (bytes.length != rawSeed.length) {
                        throw new IllegalStateException("unexpected Ed25519 key generation");
                    }
                    System.arraycopy(rawSeed, 0, bytes, 0, bytes.length);
                }
            });
            KeyPair kp = g.generateKeyPair();
            byte[] check = ((EdECPrivateKey) kp.getPrivate()).getBytes().orElseThrow();
            if (!Arrays.equals(check, rawSeed)) {
                throw new IllegalStateException("the JDK's Ed25519 generator did not take the seed");
            }
            return encodePoint((EdECPublicKey) kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** RFC 8032 encoding: y little-endian, the top bit of the last byte is x's parity. */
    private static byte[] encodePoint(EdECPublicKey key) {
        byte[] be = key.getPoint().getY().toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < be.length && i < 32; i++) {
            out[i] = be[be.length - 1 - i];
        }
        if (key.getPoint().isXOdd()) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    private static byte[] withCrc(byte[] b) {
        int crc = crc16(b);
        byte[] out = Arrays.copyOf(b, b.length + 2);
        out[b.length] = (byte) crc;
        out[b.length + 1] = (byte) (crc >> 8);
        return out;
    }

    private static byte[] checked(String text) {
        byte[] b = Base32.decode(text);
        if (b.length < 3) {
            throw new IllegalArgumentException("not an nkey: too short");
        }
        byte[] body = Arrays.copyOf(b, b.length - 2);
        int crc = (b[b.length - 2] & 0xFF) | (b[b.length - 1] & 0xFF) << 8;
        if (crc16(body) != crc) {
            throw new IllegalArgumentException("not an nkey: checksum mismatch");
        }
        return body;
    }

    /** CRC-16/XMODEM (polynomial 0x1021, initial 0), as nkeys use it. */
    static int crc16(byte[] data) {
        int crc = 0;
        for (byte d : data) {
            crc ^= (d & 0xFF) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }

    @Override
    public String toString() {
        return type + " " + publicKey; // never the seed
    }
}
