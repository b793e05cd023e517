package io.fluxrig.snake.api.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.snake.api.SnakeCodec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure logic with real Ed25519 keys from the JDK: the canonical form, signing, and every way a check fails. */
class SignedReleaseTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private final KeyPair publisher = keys();
    private final KeyPair other = keys();
    private final ReleaseStatement statement = new ReleaseStatement("bundle", "io.fluxrig.gear.json", "1.2.0", DIGEST, 4096,
            7, "2030-01-01T00:00:00Z", false);

    @Test
    void theCanonicalFormIsFixedLinesInAFixedOrder() {
        assertEquals("""
                fluxrig-release-statement/1
                kind=bundle
                name=io.fluxrig.gear.json
                version=1.2.0
                digest=sha256:%s
                size=4096
                sequence=7
                not-after=2030-01-01T00:00:00Z
                allow-downgrade=false
                """.formatted("ab".repeat(32)), new String(statement.canonical(), StandardCharsets.UTF_8));
    }

    @Test
    void aSignatureFromAPinnedKeyVerifiesAndSurvivesTheJsonCodec() throws Exception {
        SignedRelease signed = PublisherKeys.sign(statement, publisher.getPrivate(), publisher.getPublic());
        SignedRelease back = SnakeCodec.json().read(SnakeCodec.json().write(signed), SignedRelease.class);
        assertEquals(signed, back);
        assertTrue(new String(SnakeCodec.json().write(signed), StandardCharsets.UTF_8).contains("\"not-after\""));
        PublisherKeys pinned = PublisherKeys.parse(List.of(PublisherKeys.text(other.getPublic()) + ", "
                + PublisherKeys.text(publisher.getPublic())));
        assertEquals(2, pinned.ids().size());
        assertNull(pinned.signatureProblem(back));
    }

    @Test
    void aChangedFieldOrAFlippedSignatureBitOrAnUnpinnedKeyIsRefusedNamingTheField() throws Exception {
        SignedRelease signed = PublisherKeys.sign(statement, publisher.getPrivate(), publisher.getPublic());
        PublisherKeys pinned = PublisherKeys.parse(List.of(PublisherKeys.text(publisher.getPublic())));

        ReleaseStatement s = signed.statement();
        SignedRelease raisedSequence = new SignedRelease(new ReleaseStatement(s.kind(), s.name(), s.version(), s.digest(),
                s.size(), 8, s.notAfter(), s.allowDowngrade()), signed.key(), signed.signature());
        assertTrue(pinned.signatureProblem(raisedSequence).startsWith("release.signature: does not verify"),
                pinned.signatureProblem(raisedSequence));

        byte[] sig = Base64.getDecoder().decode(signed.signature());
        sig[40] ^= 1; // a low bit of S (bytes 32..63, little-endian): still a well-formed signature, just a wrong one
        SignedRelease flipped = new SignedRelease(s, signed.key(), Base64.getEncoder().encodeToString(sig));
        assertTrue(pinned.signatureProblem(flipped).startsWith("release.signature: does not verify"));

        SignedRelease byOther = PublisherKeys.sign(statement, other.getPrivate(), other.getPublic());
        assertTrue(pinned.signatureProblem(byOther).startsWith("release.key: '" + PublisherKeys.id(other.getPublic())
                + "' is not one of this rack's 1 pinned publisher keys"), pinned.signatureProblem(byOther));
        // The signer's id claimed, another key's signature: still refused.
        SignedRelease forged = new SignedRelease(s, signed.key(), byOther.signature());
        assertTrue(pinned.signatureProblem(forged).startsWith("release.signature: does not verify"));
    }

    @Test
    void malformedStatementsAndKeysAreRefusedNamingTheField() {
        assertEquals("release.kind: 'jar' must be bundle or patch",
                new ReleaseStatement("jar", "a", "1", DIGEST, 1, 1, "2030-01-01T00:00:00Z", false).problem());
        assertTrue(new ReleaseStatement("bundle", "a\nkind=patch", "1", DIGEST, 1, 1, "2030-01-01T00:00:00Z", false)
                .problem().startsWith("release.name:"));
        assertTrue(new ReleaseStatement("bundle", "a", "1", DIGEST, 1, 0, "2030-01-01T00:00:00Z", false)
                .problem().startsWith("release.sequence:"));
        assertTrue(new ReleaseStatement("bundle", "a", "1", DIGEST, 1, 1, "2030-01-01T00:00:00.5Z", false)
                .problem().startsWith("release.not-after:"));
        assertThrows(IllegalArgumentException.class,
                () -> new ReleaseStatement("bundle", "a", "1", "sha256:x", 1, 1, "2030-01-01T00:00:00Z", false).canonical());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PublisherKeys.parse(List.of("ed25519:AAAA")));
        assertEquals("key 1: 'ed25519:AAAA' holds 3 bytes; an Ed25519 public key is 32", e.getMessage());
        assertTrue(PublisherKeys.parse(List.of(" ", "")).isEmpty());
    }

    private static KeyPair keys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
