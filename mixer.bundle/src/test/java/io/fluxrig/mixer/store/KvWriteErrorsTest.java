package io.fluxrig.mixer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.NatsServer;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Failed writes to the Mixer's buckets are counted per bucket; a compare-and-set that lost (how
 * writers take turns) is not. A real nats-server: the failures are the server's and the client's own.
 */
class KvWriteErrorsTest {

    @Test
    void aLostCompareAndSetIsNotAnErrorAWriteOnAClosedConnectionIs() throws Exception {
        try (NatsServer nats = NatsServer.started()) {
            MixerStore store = MixerStore.connect(nats.url(), nats.creds(Role.MIXER), nats.caFile(), 1, new ObjectMapper());
            KeyValue kv = store.bucket("fluxrig_mixer_test");
            byte[] v = "v".getBytes(StandardCharsets.UTF_8);
            long rev = kv.create("k", v);
            JetStreamApiException lost = assertThrows(JetStreamApiException.class, () -> kv.create("k", v));
            assertEquals(KvWriteErrors.CAS_LOST, lost.getApiErrorCode(), lost.getMessage());
            assertThrows(JetStreamApiException.class, () -> kv.update("k", v, rev + 5));
            kv.get("k"); // a read is never counted
            assertEquals(0L, store.kvWriteErrors().byBucket().get("fluxrig_mixer_test"), store.kvWriteErrors().byBucket().toString());
            assertEquals(0L, store.kvWriteErrors().byBucket().get(MixerStore.RACKS));
            store.close();
            assertThrows(Exception.class, () -> kv.put("k", v));
            assertEquals(1L, store.kvWriteErrors().byBucket().get("fluxrig_mixer_test"));
            assertEquals(0L, store.kvWriteErrors().byBucket().get(MixerStore.COMMANDS));
        }
    }
}
