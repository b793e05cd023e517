package io.fluxrig.nats.local.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** MetaView reads the meta_cluster part of nats-server 2.9's /jsz (texts as the server wrote them). */
class MetaViewTest {

    @Test
    void theLeaderSeesItsPeers() throws Exception {
        MetaView v = MetaView.parse("""
                {"server_id":"NA7R","streams":0,"meta_cluster":{"name":"fx","leader":"n2","peer":"44jzkV9D",
                 "replicas":[{"name":"n1","current":true,"active":618464905,"peer":"fjFyEjc1"},
                             {"name":"n3","current":false,"active":618473761,"peer":"BXScrY9i"}],"cluster_size":3}}""");
        assertEquals("n2", v.leader());
        assertEquals(3, v.clusterSize());
        assertEquals(Map.of("n1", true, "n3", false), v.peersCurrent());
        assertTrue(v.hasLeader());
    }

    @Test
    void aFollowerNamesTheLeaderOnly() throws Exception {
        MetaView v = MetaView.parse("{\"meta_cluster\":{\"name\":\"fx\",\"leader\":\"n2\",\"peer\":\"x\",\"cluster_size\":3}}");
        assertEquals("n2", v.leader());
        assertTrue(v.peersCurrent().isEmpty());
    }

    @Test
    void noLeaderWhileElectingOrStandalone() throws Exception {
        assertFalse(MetaView.parse("{\"meta_cluster\":{\"name\":\"fx\",\"cluster_size\":3}}").hasLeader());
        MetaView standalone = MetaView.parse("{\"server_id\":\"N\",\"streams\":0}");
        assertFalse(standalone.hasLeader());
        assertEquals(0, standalone.clusterSize());
    }
}
