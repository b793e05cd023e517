package io.fluxrig.nats.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.NKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Our JDK-only nkeys against jnats' own (BouncyCastle) implementation. */
class NKeyPairTest {

    @Test
    void seedsAndPublicKeysAreThoseJnatsReadsAndWrites() throws Exception {
        for (NKeyPair.Type t : NKeyPair.Type.values()) {
            NKeyPair ours = NKeyPair.generate(t);
            NKey theirs = NKey.fromSeed(ours.seed());
            assertEquals(ours.publicKey(), new String(theirs.getPublicKey()), t + ": jnats derives the same public key");
            assertEquals(t.letter, ours.publicKey().charAt(0));
            byte[] data = "nonce".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(theirs.sign(data), ours.sign(data), "Ed25519 is deterministic: same signature");
            assertTrue(NKeyPair.verify(ours.publicKey(), data, ours.sign(data)));
            assertFalse(NKeyPair.verify(ours.publicKey(), "other".getBytes(StandardCharsets.UTF_8), ours.sign(data)));

            NKey jn = NKey.createUser(null);
            NKeyPair read = NKeyPair.fromSeed(new String(jn.getSeed()));
            assertEquals(new String(jn.getPublicKey()), read.publicKey(), "a jnats seed read back");
            assertEquals(NKeyPair.Type.USER, NKeyPair.typeOf(read.publicKey()));
        }
    }

    @Test
    void aCorruptSeedIsRefusedByItsChecksum() {
        char[] seed = NKeyPair.generate(NKeyPair.Type.USER).seed();
        seed[10] = seed[10] == 'A' ? 'B' : 'A';
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NKeyPair.fromSeed(new String(seed)));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NKeyPair.fromSeed("SU1!"), "not base32");
    }

    @Test
    void urlsWithCredentialsAreRefusedAndRedacted() {
        assertEquals("nats://127.0.0.1:4222", NatsUrls.requireNoCredentials("nats://127.0.0.1:4222"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NatsUrls.requireNoCredentials("nats://alice:s3cret@127.0.0.1:4222"));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("nats://***@127.0.0.1:4222"), e.getMessage());
        assertEquals("tls://***@h:1", NatsUrls.redact("tls://tok@h:1"));
        assertFalse(NatsUrls.plaintextBeyondLoopback("nats://127.0.0.1:4222"));
        assertFalse(NatsUrls.plaintextBeyondLoopback("nats://localhost:4222"));
        assertFalse(NatsUrls.plaintextBeyondLoopback("tls://nats.example:4222"));
        assertTrue(NatsUrls.plaintextBeyondLoopback("nats://nats.example:4222"));
        assertTrue(NatsUrls.plaintextBeyondLoopback("10.0.0.5:4222"));
        assertTrue(NatsUrls.tls("tls://nats.example:4222"));
        assertTrue(NatsUrls.tls("TLS://nats.example:4222"));
        assertFalse(NatsUrls.tls("nats://nats.example:4222"));
        assertFalse(NatsUrls.tls("nats.example:4222"));
    }
}
