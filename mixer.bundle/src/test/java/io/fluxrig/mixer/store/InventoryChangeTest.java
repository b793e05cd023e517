package io.fluxrig.mixer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two heartbeats of one rack waiting for the writer become one change that keeps what each brought. */
class InventoryChangeTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void laterChangesMergeInOrder() {
        JsonNode a = json.valueToTree(Map.of("bundles", List.of("x"), "gears", List.of()));
        JsonNode gears = json.valueToTree(List.of(Map.of("name", "g", "in", 5)));
        AtomicInteger unheld = new AtomicInteger();
        InventoryChange full = InventoryChange.replace(a, unheld::incrementAndGet);
        InventoryChange live = InventoryChange.live(gears, null, unheld::incrementAndGet);

        InventoryChange fullThenLive = full.then(live);
        assertFalse(fullThenLive.needsStored(), "the live part went into the earlier full inventory");
        assertEquals(gears, fullThenLive.applyTo(null).get("gears"));
        assertEquals(a.get("bundles"), fullThenLive.applyTo(null).get("bundles"));

        assertSame(a, live.then(full).full(), "a later full inventory wins");
        assertEquals(a, full.then(InventoryChange.keep()).full(), "a later keep keeps the change");
        assertTrue(InventoryChange.keep().then(live).live());

        fullThenLive.unheld().run();
        assertEquals(2, unheld.get(), "both senders are told when the merged change is not stored");

        assertEquals(a, InventoryChange.keep().applyTo(a));
        assertNull(InventoryChange.replace(null, () -> { }).applyTo(a), "no inventory sent: cleared");
        assertEquals(json.nullNode(), live.applyTo(json.nullNode()), "a live part with no object to go into leaves it");
        assertEquals(3, unheld.get(), "and its sender is told");
    }
}
