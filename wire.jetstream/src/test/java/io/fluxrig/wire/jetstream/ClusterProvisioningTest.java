package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsCluster;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The transport on a real three-node JetStream cluster, reached through the list of its servers:
 * wires are R3 by configuration ({@code default.replicas} 3), a stream with another replica count
 * is used and reported, and provisioning made while the meta leader is re-elected waits for the
 * new leader instead of failing as a conflict.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProvisioningTest {
    private static NatsCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = NatsCluster.started(3);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    /**
     * The transport settings of a rack on the cluster, through the real configuration path: the
     * cluster's comma-separated URL list as one {@code servers} value (as a cfg file line gives
     * it), {@code default.replicas=3}, short reconnect backoff and ack wait for the tests.
     */
    static TransportSettings onCluster(NatsCluster c) {
        return TransportSettings.from(ConfigProxy.of(JetStreamConfig.class, Map.of("servers", new String[] {c.url()},
                "credentials_file", c.creds().toString(), "tls_ca_file", c.caFile().toString(), "connection_name", "test", "default_replicas", 3, "reconnect_wait_ms", 50L, "reconnect_max_wait_ms", 500L,
                "default_ack_wait_ms", 2000L)));
    }

    @Test
    @Order(1)
    void anUnconfiguredWireGetsAnR3StreamAcrossTheThreeServers() throws Exception {
        TransportSettings settings = onCluster(cluster);
        assertEquals(cluster.urls(), settings.servers(), "the comma-separated list is split into the three URLs");
        JetStreamWireTransport t = new JetStreamWireTransport(settings);
        try {
            Await.until("transport connected", t::connected);
            t.publish("r3.plain", FluxMsg.builder().data("n", 1).build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            try (Connection c = connect()) {
                StreamInfo info = c.jetStreamManagement().getStreamInfo("WIRE_r3_plain");
                assertEquals(3, info.getConfiguration().getReplicas());
                assertEquals(Set.of("n1", "n2", "n3"), placed(info));
                assertEquals(1, info.getStreamState().getMsgCount());
            }
            assertFalse(t.status().contains("replicas differ"), t.status());
        } finally {
            t.deactivate();
        }
    }

    @Test
    @Order(2)
    void aStreamWithAnotherReplicaCountIsUsedAndReported() throws Exception {
        try (Connection c = connect()) {
            c.jetStreamManagement().addStream(StreamConfiguration.builder().name("LEGACY").subjects("fluxrig.wire.legacy")
                    .storageType(StorageType.File).replicas(1).maxAge(Duration.ofHours(1)).duplicateWindow(Duration.ofMinutes(2))
                    .build());
        }
        JetStreamWireTransport t = new JetStreamWireTransport(onCluster(cluster));
        try {
            Await.until("transport connected", t::connected);
            t.addStream(new StreamSpec("LEGACY", List.of("legacy"), StorageType.File, 3, Duration.ofHours(1), -1, -1,
                    Duration.ofMinutes(2), io.nats.client.api.DiscardPolicy.Old, Wires.consumer(false, 5, Duration.ofSeconds(2))));
            t.publish("legacy", FluxMsg.builder().data("n", 1).build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertTrue(t.status().contains("replicas differ from the configuration: LEGACY: server has 1, configured 3"), t.status());
            assertEquals(t.status(), t.describe());
            try (Connection c = connect()) {
                assertEquals(1, c.jetStreamManagement().getStreamInfo("LEGACY").getConfiguration().getReplicas(),
                        "the server's stream is not changed");
            }
        } finally {
            t.deactivate();
        }
    }

    @Test
    @Order(3)
    void provisioningDuringAMetaLeaderElectionWaitsForTheNewLeader() throws Exception {
        String leader = cluster.metaLeader();
        try (Connection c = connect()) {
            JetStreamManagement jsm = c.jetStreamManagement();
            StreamProvisioner provisioner = new StreamProvisioner(onCluster(cluster).defaults(), new LeaderWait(Duration.ofSeconds(30)));
            cluster.node(leader).kill();
            // Right after the kill nobody leads the meta group: the first requests get no
            // responders, time out or 503; the provisioner waits for the election and succeeds.
            StreamProvisioner.Placement p = provisioner.place(jsm, "after.election");
            assertEquals("WIRE_after_election", p.stream());
            assertNotEquals(leader, cluster.awaitReady(), "a new meta leader");
            StreamInfo info = jsm.getStreamInfo("WIRE_after_election");
            assertEquals(3, info.getConfiguration().getReplicas());
        } finally {
            cluster.node(leader).start();
            cluster.awaitReady();
        }
    }

    @Test
    @Order(4)
    void anR3StreamOnASingleServerIsRefusedWithTheServersReason() throws Exception {
        try (io.fluxrig.testsupport.NatsServer single = io.fluxrig.testsupport.NatsServer.started();
                Connection c = single.connect()) {
            StreamProvisioner provisioner = new StreamProvisioner(onCluster(cluster).defaults());
            WireConfigException e = org.junit.jupiter.api.Assertions.assertThrows(WireConfigException.class,
                    () -> provisioner.place(c.jetStreamManagement(), "r3.alone"));
            assertTrue(e.getMessage().startsWith("stream WIRE_r3_alone [fluxrig.wire.r3.alone] cannot be created: replicas > 1"),
                    e.getMessage());
        }
    }

    static Set<String> placed(StreamInfo info) {
        Set<String> s = new HashSet<>();
        s.add(info.getClusterInfo().getLeader());
        info.getClusterInfo().getReplicas().forEach(r -> s.add(r.getName()));
        return s;
    }

    private static Connection connect() throws Exception {
        return cluster.connect();
    }
}
