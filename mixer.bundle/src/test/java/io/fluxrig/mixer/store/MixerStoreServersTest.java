package io.fluxrig.mixer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.testsupport.NatsCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Mixer's NATS setting takes the servers of a cluster as a comma-separated list. */
class MixerStoreServersTest {

    @Test
    void aCommaSeparatedListIsSplitAndTrimmed() {
        assertArrayEquals(new String[] {"nats://a:4222"}, MixerStore.servers("nats://a:4222"));
        assertArrayEquals(new String[] {"nats://a:4222", "nats://b:4223", "nats://c:4224"},
                MixerStore.servers("nats://a:4222, nats://b:4223 ,nats://c:4224,"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MixerStore.servers(" , "));
        assertTrue(e.getMessage().contains("no URL"), e.getMessage());
    }

    @Test
    void theStoreUsesEveryServerOfTheList() throws Exception {
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        try (NatsCluster cluster = NatsCluster.started(3)) {
            // A server that is down, then the cluster's: jnats tries the list until one answers.
            String list = "nats://127.0.0.1:" + dead + ", " + cluster.url();
            MixerStore store = MixerStore.connect(list, cluster.creds(io.fluxrig.nats.trust.Role.MIXER), new ObjectMapper());
            try {
                assertTrue(store.health().isConnected());
                assertEquals(list, store.health().snapshot().get("natsUrl"));
                assertEquals(List.of(), store.racks().list(), "the registry (KV in the cluster) answers");
            } finally {
                store.close();
            }
        }
    }
}
