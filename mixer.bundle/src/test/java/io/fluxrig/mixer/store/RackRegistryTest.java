package io.fluxrig.mixer.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison that decides whether a heartbeat brings a new inventory. */
class RackRegistryTest {
    private final ObjectMapper json = new ObjectMapper();

    record Bundle(long id, String name) {
    }

    @Test
    void anInventoryReadBackFromTheBucketEqualsTheSameInventorySentAgain() throws Exception {
        Object sent = Map.of("bundles", List.of(new Bundle(1, "a"), new Bundle(2, "b")));
        var fresh = json.valueToTree(sent); // LongNode for the ids
        var stored = json.readTree(json.writeValueAsBytes(sent)); // IntNode for the same ids
        assertFalse(fresh.equals(stored), "Jackson's own equals tells the number types apart");
        assertTrue(RackRegistry.sameJson(stored, fresh));
        assertFalse(RackRegistry.sameJson(stored, json.valueToTree(Map.of("bundles", List.of(new Bundle(1, "a"), new Bundle(3, "b"))))));
        assertFalse(RackRegistry.sameJson(stored, null));
        assertTrue(RackRegistry.sameJson(null, null));
    }
}
