package io.fluxrig.mixer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.snake.api.OperatorPaths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Filtering and keyset paging of the rack list, and the refusals of bad query parameters. */
class RackQueryTest {
    private static RackRecord rack(String name, String state, Map<String, String> labels) {
        return new RackRecord(name, labels, state, 1, 0, null, "0a", 0, 0, Map.of(), null, null);
    }

    private static RackQuery query(Map<String, List<String>> params) throws RackQuery.Invalid {
        return RackQuery.parse(n -> params.getOrDefault(n, List.of()));
    }

    private static RackQuery.Page page(TreeMap<String, RackRecord> all, RackQuery q) {
        return q.select(all.tailMap(q.after() == null ? "" : q.after(), false).values().stream(), all.values().stream());
    }

    @Test
    void pagesFollowEachOtherByNameAndCoverEveryMatchOnce() throws Exception {
        TreeMap<String, RackRecord> all = new TreeMap<>();
        for (int i = 0; i < 250; i++) {
            String name = String.format("edge-%03d", i);
            all.put(name, rack(name, i % 5 == 0 ? RackRecord.OFFLINE : RackRecord.ONLINE,
                    Map.of("site", i % 2 == 0 ? "north" : "south")));
        }
        Map<String, List<String>> params = new HashMap<>(Map.of(OperatorPaths.LABEL, List.of("site=north"),
                OperatorPaths.STATE, List.of("online"), OperatorPaths.LIMIT, List.of("40")));
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            if (after != null) {
                params.put(OperatorPaths.AFTER, List.of(after));
            }
            RackQuery.Page p = page(all, query(params));
            long matching = pages == 0 ? 100 : 101; // even numbers (north) not divisible by 10 (online), then the added one
            assertEquals(matching, p.total());
            assertEquals(Map.of("online", matching), p.counts());
            p.racks().forEach(r -> seen.add(r.name()));
            after = p.next();
            pages++;
            if (after != null) {
                all.put("edge-000a", rack("edge-000a", RackRecord.ONLINE, Map.of("site", "north"))); // sorts before the cursor
            }
        } while (after != null);
        assertEquals(3, pages);
        assertEquals(100, seen.size(), "no rack twice, none skipped, although one was added before the cursor");
        assertEquals(seen.stream().sorted().toList(), seen);
        assertTrue(seen.stream().allMatch(n -> Integer.parseInt(n.substring(5)) % 2 == 0));
    }

    @Test
    void theLastPageHasNoNext() throws Exception {
        TreeMap<String, RackRecord> all = new TreeMap<>(Map.of("a", rack("a", RackRecord.PENDING, Map.of()),
                "b", rack("b", RackRecord.REVOKED, Map.of())));
        RackQuery.Page p = page(all, query(Map.of(OperatorPaths.LIMIT, List.of("2"))));
        assertEquals(List.of("a", "b"), p.racks().stream().map(RackRecord::name).toList());
        assertNull(p.next());
        assertEquals(Map.of("pending", 1L, "revoked", 1L), p.counts());
        assertEquals(100, query(Map.of()).limit(), "the default page");
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        assertEquals("query 'state': 'asleep' is not a state (pending, online, offline, revoked)",
                assertThrows(RackQuery.Invalid.class, () -> query(Map.of(OperatorPaths.STATE, List.of("online,asleep")))).getMessage());
        assertEquals("query 'label': 'site' must be key=value",
                assertThrows(RackQuery.Invalid.class, () -> query(Map.of(OperatorPaths.LABEL, List.of("site")))).getMessage());
        assertEquals("query 'limit': '0' must be a number from 1 to 1000",
                assertThrows(RackQuery.Invalid.class, () -> query(Map.of(OperatorPaths.LIMIT, List.of("0")))).getMessage());
        assertEquals("query 'limit': 'ten' must be a number from 1 to 1000",
                assertThrows(RackQuery.Invalid.class, () -> query(Map.of(OperatorPaths.LIMIT, List.of("ten")))).getMessage());
        assertTrue(assertThrows(RackQuery.Invalid.class, () -> query(Map.of(OperatorPaths.AFTER, List.of("Bad"))))
                .getMessage().startsWith("query 'after': 'Bad' must start with a lower-case letter"));
        assertEquals("query 'after': given 2 times, at most once",
                assertThrows(RackQuery.Invalid.class, () -> query(Map.of(OperatorPaths.AFTER, List.of("a", "b")))).getMessage());
    }
}
