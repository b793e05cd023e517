package io.fluxrig.mixer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.testsupport.NatsCluster;
import io.nats.client.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Mixer's NATS setting takes the servers of a cluster as a comma-separated list; its buckets get
 * the configured replicas (R3 on a three-node cluster), and existing buckets of another count are reported.
 */
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
            MixerStore store = MixerStore.connect(list, cluster.creds(io.fluxrig.nats.trust.Role.MIXER), cluster.caFile(), 3,
                    new ObjectMapper());
            try {
                assertTrue(store.health().isConnected());
                assertEquals(list, store.health().snapshot().get("natsUrl"));
                assertEquals(List.of(), store.racks().list(), "the registry (KV in the cluster) answers");
                assertEquals(Map.of(), store.replicaMismatches());
                // as the Mixer: the buckets live in the Mixer's account
                try (Connection nc = io.nats.client.Nats.connect(new io.nats.client.Options.Builder().server(cluster.url())
                        .sslContext(cluster.sslContext()).authHandler(new io.fluxrig.nats.trust.jnats.CredsAuthHandler(cluster.creds(io.fluxrig.nats.trust.Role.MIXER))).build())) {
                    for (String bucket : List.of(MixerStore.TOKENS, MixerStore.RACKS, MixerStore.COMMANDS, MixerStore.NATS)) {
                        assertEquals(3, nc.keyValueManagement().getStatus(bucket).getReplicas(), bucket + " is R3 as configured");
                    }
                }
            } finally {
                store.close();
            }
            // A Mixer configured R1 on the same cluster uses the R3 buckets as they are and says so.
            MixerStore r1 = MixerStore.connect(cluster.url(), cluster.creds(io.fluxrig.nats.trust.Role.MIXER), cluster.caFile(), 1,
                    new ObjectMapper());
            try {
                assertEquals(Map.of(MixerStore.TOKENS, "server has 3, configured 1", MixerStore.RACKS, "server has 3, configured 1",
                        MixerStore.COMMANDS, "server has 3, configured 1", MixerStore.NATS, "server has 3, configured 1"),
                        r1.replicaMismatches());
            } finally {
                r1.close();
            }
        }
    }
}
