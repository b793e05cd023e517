package io.fluxrig.msg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.msg.cbor.FluxMsgCbor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The builder collects data unordered and sorts once at build(): whatever the insertion order,
 * replacements and removals, the message iterates in canonical order and encodes to the same bytes.
 */
class BuilderDataOrderTest {
    private static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

    @Test
    void anyInsertionOrderGivesTheSameCanonicalMessageAndBytes() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            keys.add(Integer.toString(i));
        }
        keys.addAll(List.of("mti", "pan", "amount", "stan", "é", "zz", "a", "ü1", "日本", "~"));
        TreeMap<String, Object> expected = new TreeMap<>(CanonicalKeys.ORDER);
        keys.forEach(k -> expected.put(k, k + "!"));
        byte[] first = null;
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<String> order = new ArrayList<>(keys);
            Collections.shuffle(order, random);
            FluxMsg.Builder b = FluxMsg.builder().id(ID).ts(1L).data("gone", 1).data("mti", "stale");
            for (String k : order) {
                b.data(k, k + "!");
            }
            FluxMsg m = b.removeData("gone").build();
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(m.data().keySet()));
            assertEquals(expected, m.data());
            byte[] cbor = FluxMsgCbor.standard().encode(m);
            if (first == null) {
                first = cbor;
            }
            assertArrayEquals(first, cbor, "round " + round);
            // Deriving and changing one key re-sorts the copied entries the same way.
            FluxMsg d = m.derive().data("mti", "mti!").build();
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(d.data().keySet()));
        }
    }

    @Test
    void clearingEverythingGivesEmptyData() {
        FluxMsg m = FluxMsg.builder().data("a", 1).clearData().build();
        assertEquals(0, m.data().size());
        assertEquals(FluxMsg.builder().build().data(), m.data());
    }
}
