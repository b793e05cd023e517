package io.fluxrig.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.nats.local.cluster.ClusterNode;
import io.fluxrig.nats.local.cluster.MetaView;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** NatsCluster against the real nats-server binary: three processes forming one JetStream cluster. */
class NatsClusterTest {

    @Test
    void threeNodesFormAClusterWithAMetaLeaderAndAKilledNodeRejoins() throws Exception {
        Path root;
        try (NatsCluster cluster = NatsCluster.started(3)) {
            root = cluster.root();
            List<String> urls = cluster.urls();
            assertEquals(3, new HashSet<>(urls).size(), "three distinct client URLs: " + urls);
            assertEquals(String.join(",", urls), cluster.url());

            String leader = cluster.metaLeader();
            assertNotNull(leader, "ready means a meta leader");
            for (ClusterNode n : cluster.nodes()) {
                MetaView v = n.meta();
                assertEquals(leader, v.leader(), n + " follows the same meta leader");
                assertEquals(3, v.clusterSize(), n + " counts three servers");
                assertTrue(Files.isDirectory(n.store().resolve("jetstream")), n + " has its own store");
            }

            // An R3 stream is placed on all three servers (it needs the routes and the meta group).
            try (Connection c = connect(cluster)) {
                JetStreamManagement jsm = c.jetStreamManagement();
                FreshClusterStreams.add(jsm, StreamConfiguration.builder().name("R3").subjects("r3").storageType(StorageType.File)
                        .replicas(3).build());
                c.jetStream().publish("r3", "one".getBytes(StandardCharsets.UTF_8));
                StreamInfo info = jsm.getStreamInfo("R3");
                Set<String> placed = new HashSet<>();
                placed.add(info.getClusterInfo().getLeader());
                info.getClusterInfo().getReplicas().forEach(r -> placed.add(r.getName()));
                assertEquals(Set.of("n1", "n2", "n3"), placed);
            }

            // SIGKILL the meta leader: the two others elect a new one.
            ClusterNode killed = cluster.node(leader);
            killed.kill();
            assertFalse(killed.isRunning());
            String next = cluster.awaitReady();
            assertNotEquals(leader, next, "a new meta leader among the two left");

            // Started again on the same ports and store, it rejoins: the leader sees it current.
            killed.start();
            String after = cluster.awaitReady();
            MetaView onLeader = cluster.node(after).meta();
            for (ClusterNode n : cluster.nodes()) {
                if (!n.name().equals(after)) {
                    assertEquals(Boolean.TRUE, onLeader.peersCurrent().get(n.name()), n + " is a current peer: " + onLeader);
                }
            }
            assertEquals(after, killed.meta().leader(), "the restarted node follows the leader");
            try (Connection c = connect(cluster)) {
                assertEquals(1, c.jetStreamManagement().getStreamInfo("R3").getStreamState().getMsgCount(),
                        "the stream kept its message through the kill");
            }
        }
        assertFalse(Files.exists(root), "close deletes the stores");
    }

    @Test
    void aFrozenNodeIsLeftOutOfReadinessUntilItGoesOn() throws Exception {
        try (NatsCluster cluster = NatsCluster.started(3)) {
            String leader = cluster.metaLeader();
            ClusterNode follower = cluster.nodes().stream().filter(n -> !n.name().equals(leader)).findFirst().orElseThrow();
            follower.freeze();
            assertFalse(follower.isServing());
            assertNotNull(cluster.awaitReady(), "two serving nodes still have a leader");
            follower.unfreeze();
            assertTrue(follower.isServing());
            String after = cluster.awaitReady();
            assertEquals(after, follower.meta().leader(), "the unfrozen node answers and follows the leader");
        }
    }

    private static Connection connect(NatsCluster cluster) throws Exception {
        return cluster.connect();
    }
}
