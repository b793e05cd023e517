package io.fluxrig.mixer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.NatsServer;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats answered from the registry's view, their writes made by the registry's writer
 * threads, against a real nats-server: nothing new is kept in memory, a new inventory reaches the
 * bucket after the heartbeat returned, a revocation is in the view before its write returns and no
 * heartbeat written later undoes it, another Mixer's revocation reaches the view through the
 * watch, a write NATS does not answer is counted and its digest forgotten; a full inventory naming
 * the digest the stored one was written with is compared by that digest and its live part.
 */
class RackRegistryHeartbeatTest {
    private static final long PERIOD = 5000;
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode inventory(String bundle, long in) {
        return json.valueToTree(Map.of("bundles", List.of(Map.of("name", bundle, "id", 3L)),
                "gears", List.of(Map.of("name", "g", "in", in))));
    }

    private static RackRecord enrolled(String name) {
        return new RackRecord(name, Map.of("site", "a"), RackRecord.PENDING, 1000, 0, null, "aa",
                System.currentTimeMillis() + 86_400_000L, 0, Map.of(), null, "enrolled");
    }

    /** What the Snake's heartbeat does to the fields (see SnakeHandler). */
    private static RackRecord beat(RackRecord r, long now, String serial) {
        if (RackRecord.REVOKED.equals(r.state()) || !r.accepts(serial)) {
            return r;
        }
        return new RackRecord(r.name(), r.labels(), RackRecord.ONLINE, r.firstSeen(), Math.max(now, r.lastSeen()),
                "127.0.0.1", r.certSerial(), r.certNotAfter(), PERIOD, Map.of("java", "17"), r.inventory(),
                RackRecord.ONLINE.equals(r.state()) ? r.reason() : "heartbeat",
                serial.equals(r.certSerial()) ? null : r.previousSerial());
    }

    private static MixerStore store(NatsServer nats) throws Exception {
        return MixerStore.connect(nats.url(), nats.creds(Role.MIXER), nats.caFile(), 1, new ObjectMapper());
    }

    @Test
    void nothingNewIsKeptInMemoryANewInventoryIsWrittenAfterTheAnswer() throws Exception {
        try (NatsServer nats = NatsServer.started(); Connection nc = nats.connect(Role.MIXER)) {
            MixerStore store = store(nats);
            RackRegistry racks = store.racks();
            KeyValue bucket = nc.keyValue(MixerStore.RACKS);
            racks.enrol(enrolled("r1"), racks.read("r1"));
            long t = System.currentTimeMillis();

            // First heartbeat: pending -> online decides what the next request may do: written before it returns.
            RackRecord first = racks.heartbeat("r1", r -> beat(r, t, "aa"), InventoryChange.replace(inventory("a", 1), () -> { })).orElseThrow();
            assertEquals(RackRecord.ONLINE, first.state());
            assertEquals(RackRecord.ONLINE, json.readValue(bucket.get("r1").getValue(), RackRecord.class).state());
            long written = bucket.get("r1").getRevision();
            long[] before = racks.heartbeatWrites();

            // The same inventory again (a fresh tree: LongNode where the bucket reads back IntNode), one second on.
            racks.heartbeat("r1", r -> beat(r, t + 1000, "aa"), InventoryChange.replace(inventory("a", 1), () -> { }));
            long[] after = racks.heartbeatWrites();
            assertEquals(before[1] + 1, after[1], "kept in memory");
            assertEquals(before[2], after[2], "nothing handed to the writer");
            assertEquals(t + 1000, racks.known("r1").orElseThrow().lastSeen(), "this Mixer sees the heartbeat's time");

            // A new inventory: handed to the writer; the heartbeat returns with the rack online.
            RackRecord changed = racks.heartbeat("r1", r -> beat(r, t + 2000, "aa"),
                    InventoryChange.replace(inventory("b", 1), () -> { })).orElseThrow();
            assertEquals(RackRecord.ONLINE, changed.state());
            assertNull(changed.inventory(), "the answer is from the view, without inventory");
            assertEquals(after[2] + 1, racks.heartbeatWrites()[2], "handed to the writer");
            RackRecord read = racks.get("r1").orElseThrow(); // waits for the rack's writes
            assertEquals("b", read.inventory().get("bundles").get(0).get("name").asText());
            assertTrue(bucket.get("r1").getRevision() > written);
            assertEquals(t + 2000, read.lastSeen());

            // A live part into the stored inventory (a digest-only heartbeat).
            racks.heartbeat("r1", r -> beat(r, t + 3000, "aa"),
                    InventoryChange.live(json.valueToTree(List.of(Map.of("name", "g", "in", 7L))), null, () -> { }));
            RackRecord live = racks.get("r1").orElseThrow();
            assertEquals(7, live.inventory().get("gears").get(0).get("in").asLong());
            assertEquals("b", live.inventory().get("bundles").get(0).get("name").asText(), "the rest kept");

            // Full inventories naming the rack's digest (of the stable part): a new digest is written,
            // and the view knows it for that revision...
            racks.heartbeat("r1", r -> beat(r, t + 4000, "aa"), InventoryChange.replace(inventory("c", 1), "sha256:c", () -> { }));
            assertEquals("c", racks.get("r1").orElseThrow().inventory().get("bundles").get(0).get("name").asText());
            long[] digested = racks.heartbeatWrites();
            // ...so the same digest with the same live part is the stored inventory, decided without
            // hashing the tree: the rack's digest of its own stable part is taken as it is (here a
            // tree that does not match it shows that the digest decides).
            racks.heartbeat("r1", r -> beat(r, t + 5000, "aa"), InventoryChange.replace(inventory("x", 1), "sha256:c", () -> { }));
            assertEquals(digested[1] + 1, racks.heartbeatWrites()[1], "the same digest and live part: kept in memory");
            assertEquals(digested[2], racks.heartbeatWrites()[2], "nothing handed to the writer");
            assertEquals("c", racks.get("r1").orElseThrow().inventory().get("bundles").get(0).get("name").asText());
            // The same digest with another live part is written.
            racks.heartbeat("r1", r -> beat(r, t + 6000, "aa"), InventoryChange.replace(inventory("c", 9), "sha256:c", () -> { }));
            assertEquals(9, racks.get("r1").orElseThrow().inventory().get("gears").get(0).get("in").asLong());
            assertEquals(0L, store.kvWriteErrors().byBucket().get(MixerStore.RACKS));
            store.close();
        }
    }

    @Test
    void aRevocationIsInTheViewWhenItsWriteReturnsAndNoLaterHeartbeatWriteUndoesIt() throws Exception {
        try (NatsServer nats = NatsServer.started()) {
            MixerStore store = store(nats);
            MixerStore other = store(nats); // a second Mixer on the same NATS
            RackRegistry racks = store.racks();
            racks.enrol(enrolled("r1"), racks.read("r1"));
            racks.enrol(enrolled("r2"), racks.read("r2"));
            long t = System.currentTimeMillis();
            racks.heartbeat("r1", r -> beat(r, t, "aa"), InventoryChange.replace(inventory("a", 1), () -> { }));

            // A heartbeat handed to the writer, then the operator's revocation.
            racks.heartbeat("r1", r -> beat(r, t + 1000, "aa"), InventoryChange.replace(inventory("b", 2), () -> { }));
            racks.update("r1", r -> r.withState(RackRecord.REVOKED, "revoked by test"));
            assertEquals(RackRecord.REVOKED, racks.known("r1").orElseThrow().state(), "in the view when the write returned");
            assertEquals(RackRecord.REVOKED, racks.get("r1").orElseThrow().state(), "the heartbeat's write did not undo it");
            RackRecord refused = racks.heartbeat("r1", r -> beat(r, t + 2000, "aa"), InventoryChange.replace(inventory("c", 3), () -> { }))
                    .orElseThrow();
            assertEquals(RackRecord.REVOKED, refused.state());

            // Another Mixer revokes r2: the watch brings it into this Mixer's view.
            assertEquals(RackRecord.PENDING, racks.known("r2").orElseThrow().state());
            other.racks().update("r2", r -> r.withState(RackRecord.REVOKED, "revoked elsewhere"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!RackRecord.REVOKED.equals(racks.known("r2").orElseThrow().state()) && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling for the watch's delivery
            }
            assertEquals(RackRecord.REVOKED, racks.known("r2").orElseThrow().state(), "the watch delivered the revocation");
            other.close();
            store.close();
        }
    }

    @Test
    void aWriteNatsDoesNotAnswerIsCountedAndItsInventoryNoLongerHeld() throws Exception {
        try (NatsServer nats = NatsServer.started()) {
            MixerStore store = store(nats);
            RackRegistry racks = store.racks();
            racks.enrol(enrolled("r1"), racks.read("r1"));
            long t = System.currentTimeMillis();
            racks.heartbeat("r1", r -> beat(r, t, "aa"), InventoryChange.replace(inventory("a", 1), () -> { }));
            CountDownLatch unheld = new CountDownLatch(1);
            nats.freeze();
            try {
                racks.heartbeat("r1", r -> beat(r, t + 1000, "aa"), InventoryChange.replace(inventory("b", 1), unheld::countDown));
                assertTrue(unheld.await(60, TimeUnit.SECONDS), "the failed write was reported to the heartbeat's sender");
                assertTrue(store.kvWriteErrors().byBucket().get(MixerStore.RACKS) >= 1, store.kvWriteErrors().byBucket().toString());
            } finally {
                nats.unfreeze();
            }
            // The view is unchanged, so the next heartbeat with that inventory writes it.
            racks.heartbeat("r1", r -> beat(r, t + 2000, "aa"), InventoryChange.replace(inventory("b", 1), () -> { }));
            assertEquals("b", racks.get("r1").orElseThrow().inventory().get("bundles").get(0).get("name").asText());
            store.close();
        }
    }
}
