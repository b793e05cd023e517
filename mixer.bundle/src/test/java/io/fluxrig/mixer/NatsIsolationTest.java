package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.store.MixerStore;
import io.fluxrig.mixer.store.TokenRecord;
import io.fluxrig.mixer.store.TokenStore;
import io.fluxrig.nats.trust.Role;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Mixer's state on NATS against the other NATS users, on a real nats-server in operator mode
 * and a real Mixer: racks and operator tools live in the wires account, the Mixer's buckets in
 * the Mixer's account, which they cannot reach.
 */
class NatsIsolationTest {
    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer();
    static MixerFixture f;

    /** Attack: a rack credential forges an enrolment token for "core" in fluxrig_mixer_tokens, then reads the buckets. */
    @Test
    void aRackCredentialCannotForgeAnEnrolmentTokenNorSeeTheMixersBuckets() throws Exception {
        String forged = "forged-token-for-core";
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(forged.getBytes(StandardCharsets.US_ASCII)));
        byte[] record = f.json.writeValueAsBytes(new TokenRecord("core", Map.of(), System.currentTimeMillis(),
                System.currentTimeMillis() + 3_600_000, false, null));
        for (Role role : new Role[] {Role.RACK, Role.READER, Role.ADMIN}) {
            try (Connection c = f.nats.connect(role)) {
                for (String bucket : new String[] {MixerStore.TOKENS, MixerStore.RACKS, MixerStore.COMMANDS}) {
                    JetStreamApiException e = assertThrows(JetStreamApiException.class,
                            () -> c.jetStreamManagement().getStreamInfo("KV_" + bucket), role + " sees bucket " + bucket);
                    assertEquals(404, e.getErrorCode(), role + ": " + e.getMessage());
                    assertFalse(c.jetStreamManagement().getStreamNames().contains("KV_" + bucket));
                }
                // Published on the bucket's subject: it stays in the wires account (no stream there takes it).
                c.publish("$KV." + MixerStore.TOKENS + "." + key, record);
                c.publish("$KV." + MixerStore.RACKS + ".core", "{}".getBytes(StandardCharsets.UTF_8));
                c.flush(Duration.ofSeconds(5));
            }
        }
        TokenStore.TokenRefused refused = assertThrows(TokenStore.TokenRefused.class,
                () -> f.mixer.store().tokens().check(forged, System.currentTimeMillis()));
        assertEquals("unknown token", refused.getMessage());
        assertTrue(f.mixer.store().racks().get("core").isEmpty(), "no rack record was planted");
    }

    /** Attack: a process without credentials, or with another operator's, connects to the Mixer's NATS. */
    @Test
    void anonymousAndForeignClientsAreRefused() throws Exception {
        java.io.IOException anonymous = assertThrows(java.io.IOException.class, () -> io.nats.client.Nats.connect(
                new io.nats.client.Options.Builder().server(f.nats.url()).sslContext(f.nats.sslContext()).noReconnect()
                        .errorListener(new io.nats.client.ErrorListener() { }).build()));
        assertTrue(anonymous.getMessage().toLowerCase(java.util.Locale.ROOT).contains("authorization"), anonymous.getMessage());
    }
}
