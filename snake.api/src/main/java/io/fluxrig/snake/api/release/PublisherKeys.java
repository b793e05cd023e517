package io.fluxrig.snake.api.release;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of pinned publisher public keys (Ed25519, from the JDK), and the signature check a rack
 * makes. Several keys so a publisher can rotate: sign with the new key once every rack pins both.
 *
 * <p>A key's text form is {@code ed25519:<base64 of the 32-byte public key>} (what
 * {@code fluxrig release keygen} prints and a rack's configuration holds); its id is
 * {@code ed25519:<first 16 hex digits of the SHA-256 of those 32 bytes>}. Immutable and thread-safe.
 */
public final class PublisherKeys {
    /** The prefix of a key's text form and of its id. */
    public static final String PREFIX = "ed25519:";
    /** The JCA algorithm name. */
    public static final String ALGORITHM = "Ed25519";
    /** The X.509 SubjectPublicKeyInfo header of every Ed25519 public key (RFC 8410), before the 32 key bytes. */
    private static final byte[] SPKI_HEADER = HexFormat.of().parseHex("302a300506032b6570032100");

    private final Map<String, PublicKey> byId;

    private PublisherKeys(Map<String, PublicKey> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** @return a set without keys: a rack in development mode */
    public static PublisherKeys none() {
        return new PublisherKeys(new LinkedHashMap<>());
    }

    /**
     * @param texts key texts; each entry may hold several separated by commas or white space
     * @return the keys
     * @throws IllegalArgumentException naming the entry and the reason when one is not a key
     */
    public static PublisherKeys parse(List<String> texts) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        int i = 0;
        for (String entry : texts == null ? List.<String>of() : texts) {
            for (String t : entry == null ? new String[0] : entry.trim().split("[,\\s]+")) {
                if (t.isEmpty()) {
                    continue;
                }
                PublicKey k = publicKey(t, "key " + (++i));
                keys.put(id(k), k);
            }
        }
        return new PublisherKeys(keys);
    }

    /**
     * @param text a key's text form
     * @param what how to name it in a refusal
     * @return the key
     * @throws IllegalArgumentException naming {@code what} and the reason
     */
    public static PublicKey publicKey(String text, String what) {
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException(what + ": '" + abbreviate(text) + "' must be " + PREFIX
                    + "<base64 of 32 bytes> (as printed by fluxrig release keygen)");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": '" + abbreviate(text) + "' is not base64 after " + PREFIX);
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException(what + ": '" + abbreviate(text) + "' holds " + raw.length
                    + " bytes; an Ed25519 public key is 32");
        }
        byte[] spki = Arrays.copyOf(SPKI_HEADER, SPKI_HEADER.length + 32);
        System.arraycopy(raw, 0, spki, SPKI_HEADER.length, 32);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": not an Ed25519 public key: " + e.getMessage());
        }
    }

    /** @param key an Ed25519 public key @return its text form */
    public static String text(PublicKey key) {
        return PREFIX + Base64.getEncoder().encodeToString(raw(key));
    }

    /** @param key an Ed25519 public key @return its id */
    public static String id(PublicKey key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(raw(key));
            return PREFIX + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** @return whether no key is pinned (development mode) */
    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** @return the ids of the pinned keys, in configuration order */
    public List<String> ids() {
        return new ArrayList<>(byId.keySet());
    }

    /**
     * @param release a signed release
     * @return why its signature is not good, naming the field ({@code release.key: ...},
     *         {@code release.signature: ...}), or null when a pinned key signed exactly its statement
     */
    public String signatureProblem(SignedRelease release) {
        String p = release.statement() == null ? "release.statement: missing" : release.statement().problem();
        if (p != null) {
            return p;
        }
        PublicKey key = byId.get(release.key());
        if (key == null) {
            return "release.key: '" + abbreviate(String.valueOf(release.key())) + "' is not one of this rack's "
                    + byId.size() + " pinned publisher keys (" + String.join(", ", byId.keySet()) + ")";
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(String.valueOf(release.signature()));
        } catch (IllegalArgumentException e) {
            return "release.signature: not base64";
        }
        try {
            Signature v = Signature.getInstance(ALGORITHM);
            v.initVerify(key);
            v.update(release.statement().canonical());
            if (!v.verify(sig)) {
                return "release.signature: does not verify with key " + release.key()
                        + " (the statement or the signature was changed after signing)";
            }
        } catch (SignatureException e) {
            return "release.signature: malformed (" + e.getMessage() + ")";
        } catch (InvalidKeyException | NoSuchAlgorithmException e) {
            return "release.signature: cannot be checked: " + e;
        }
        return null;
    }

    /**
     * Signs a statement.
     *
     * @param statement a well-formed statement
     * @param privateKey the publisher's Ed25519 private key
     * @param publicKey its public key (names the signer)
     * @return the detached signature
     * @throws GeneralSecurityException when the key cannot sign
     */
    public static SignedRelease sign(ReleaseStatement statement, PrivateKey privateKey, PublicKey publicKey)
            throws GeneralSecurityException {
        Signature s = Signature.getInstance(ALGORITHM);
        s.initSign(privateKey);
        s.update(statement.canonical());
        return new SignedRelease(statement, id(publicKey), Base64.getEncoder().encodeToString(s.sign()));
    }

    private static byte[] raw(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (spki.length != SPKI_HEADER.length + 32
                || !Arrays.equals(spki, 0, SPKI_HEADER.length, SPKI_HEADER, 0, SPKI_HEADER.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key (" + key.getAlgorithm() + ")");
        }
        return Arrays.copyOfRange(spki, SPKI_HEADER.length, spki.length);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
