package io.fluxrig.mixer.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.NatsServer;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The Mixer's NATS connection is TLS, verified against the NATS CA it is given; anything else is refused and said. */
class MixerStoreTlsTest {

    @Test
    void theMixerConnectsOverTlsWithTheNatsCaAndRefusesAnythingElseNamingTheUrl() throws Exception {
        try (NatsServer nats = NatsServer.started(); NatsServer other = NatsServer.started()) {
            try (MixerStore store = MixerStore.connect(nats.url(), nats.creds(Role.MIXER), nats.caFile(), 1, new ObjectMapper())) {
                assertTrue(store.health().isConnected());
                assertTrue(store.tls() != null, "its other NATS clients (revocations) share the context");
            }
            String plaintext = "nats://127.0.0.1:" + nats.port();
            IOException noCa = assertThrows(IOException.class,
                    () -> MixerStore.connect(plaintext, nats.creds(Role.MIXER), null, 1, new ObjectMapper()));
            assertTrue(noCa.getMessage().startsWith("NATS " + plaintext + ": the server requires TLS but this client has no NATS CA "
                    + "file set"), noCa.getMessage());
            IOException wrongCa = assertThrows(IOException.class,
                    () -> MixerStore.connect(nats.url(), nats.creds(Role.MIXER), other.caFile(), 1, new ObjectMapper()));
            assertTrue(wrongCa.getMessage().startsWith("NATS " + nats.url() + ": the server's TLS certificate is not signed by the CA "
                    + "this client trusts"), wrongCa.getMessage());
        }
    }
}
