package io.fluxrig.nats.local.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one server of a JetStream cluster says about the cluster's metadata group, read from its
 * monitoring endpoint {@code /jsz} ({@code meta_cluster}): the meta leader it follows (empty while
 * none is elected), the configured cluster size, and, on the leader only, whether each other peer
 * is current. Immutable.
 *
 * @param leader the meta leader's server name, empty when the server knows none
 * @param clusterSize the cluster size the server counts (0 when it reports no meta group)
 * @param peersCurrent other peers by server name: current (caught up) or not; filled on the leader
 */
public record MetaView(String leader, int clusterSize, Map<String, Boolean> peersCurrent) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public MetaView {
        peersCurrent = Map.copyOf(peersCurrent);
    }

    /**
     * @param jsz the body of {@code GET /jsz}
     * @return the view it holds
     * @throws IOException when it is not JSON
     */
    public static MetaView parse(String jsz) throws IOException {
        JsonNode meta = JSON.readTree(jsz).path("meta_cluster");
        Map<String, Boolean> peers = new LinkedHashMap<>();
        for (JsonNode r : meta.path("replicas")) {
            peers.put(r.path("name").asText(), r.path("current").asBoolean(false));
        }
        return new MetaView(meta.path("leader").asText(""), meta.path("cluster_size").asInt(0), peers);
    }

    public boolean hasLeader() {
        return !leader.isEmpty();
    }
}
