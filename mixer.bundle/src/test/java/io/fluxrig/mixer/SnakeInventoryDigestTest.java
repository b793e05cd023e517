package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.HeartbeatReply;
import io.fluxrig.snake.api.Inventory;
import io.fluxrig.snake.api.InventoryDigest;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mixer's side of the inventory digest (the contract's {@code Heartbeat}), one exchange at a
 * time on one rack connection: a digest it does not hold is answered without one and changes
 * nothing stored; a full inventory with its digest is stored and named in the answer; a digest it
 * holds brings only the gear instances, put into the stored inventory; a rack that names no digest
 * is served as before.
 */
class SnakeInventoryDigestTest {
    private static final SnakeCodec JSON = SnakeCodec.json();

    private static Inventory inventory(String bundle, long in) {
        return new Inventory(List.of(new Inventory.Bundle(1, bundle, "1.0.0", "ACTIVE")), Map.of("file:/x.jar", "sha256:1"),
                List.of(), List.of(new Inventory.Gear("codec", "json.codec", bundle + " 1.0.0", "running", in, in, 0)),
                List.of("a.out -> codec.in"), new Inventory.WireTransport(true, "published " + in), List.of());
    }

    private static HeartbeatReply beat(HttpClient http, String snake, Heartbeat body) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("https://" + snake + SnakeRoute.HEARTBEAT.path()))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.write(body))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        return JSON.read(r.body(), HeartbeatReply.class);
    }

    @Test
    void theInventoryTravelsOnlyWhenTheMixerDoesNotHoldItsDigest(@TempDir Path tmp) throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            Path dir = f.enrol("edge-digest");
            HttpClient http = TlsContexts.http2(FakeRack.load(dir).context()); // one connection for every exchange
            Inventory first = inventory("a", 1);
            String d1 = InventoryDigest.of(first);
            Heartbeat full = new Heartbeat(1000, Map.of(), first);

            HeartbeatReply unknown = beat(http, f.snake(), full.digestOnly(d1));
            assertNull(unknown.inventoryDigest(), "a digest the Mixer does not hold is not named back");
            JsonNode none = f.mixer.store().racks().get("edge-digest").orElseThrow().inventory();
            assertEquals(true, none == null || none.isNull(), "nothing stored from a digest alone: " + none);

            assertEquals(d1, beat(http, f.snake(), full.withInventoryDigest(d1)).inventoryDigest());
            JsonNode stored = f.mixer.store().racks().get("edge-digest").orElseThrow().inventory();
            assertEquals("a", stored.at("/bundles/0/symbolicName").asText());
            assertEquals(1, stored.at("/gears/0/in").asLong());

            // Counters moved, nothing else: the digest and the gears only.
            Heartbeat busy = new Heartbeat(1000, Map.of(), inventory("a", 77));
            assertEquals(d1, InventoryDigest.of(busy.inventory()));
            assertEquals(d1, beat(http, f.snake(), busy.digestOnly(d1)).inventoryDigest());
            stored = f.mixer.store().racks().get("edge-digest").orElseThrow().inventory();
            assertEquals(77, stored.at("/gears/0/in").asLong(), "the gears of a digest-only heartbeat are stored");
            assertEquals("published 77", stored.at("/wireTransport/detail").asText(), "and its wire transport");
            assertEquals("a", stored.at("/bundles/0/symbolicName").asText(), "the rest of the inventory is kept");
            assertEquals("sha256:1", stored.at("/bundleDigests/file:~1x.jar").asText());

            // A changed inventory named by a digest the Mixer does not hold: answered without a digest, nothing replaced.
            Heartbeat changed = new Heartbeat(1000, Map.of(), inventory("b", 78));
            String d2 = InventoryDigest.of(changed.inventory());
            assertNull(beat(http, f.snake(), changed.digestOnly(d2)).inventoryDigest());
            assertEquals("a", f.mixer.store().racks().get("edge-digest").orElseThrow().inventory().at("/bundles/0/symbolicName").asText());
            assertEquals(d2, beat(http, f.snake(), changed.withInventoryDigest(d2)).inventoryDigest());
            assertEquals("b", f.mixer.store().racks().get("edge-digest").orElseThrow().inventory().at("/bundles/0/symbolicName").asText());

            // The digest is held per connection: a new connection sends its inventory again.
            HttpClient other = TlsContexts.http2(FakeRack.load(dir).context());
            assertNull(beat(other, f.snake(), changed.digestOnly(d2)).inventoryDigest());

            // A rack that predates digests: its inventory every time, stored every time, no digest named.
            HeartbeatReply old = beat(http, f.snake(), new Heartbeat(1000, Map.of(), inventory("c", 5)));
            assertNull(old.inventoryDigest());
            assertEquals("c", f.mixer.store().racks().get("edge-digest").orElseThrow().inventory().at("/bundles/0/symbolicName").asText());
            assertNull(beat(http, f.snake(), changed.digestOnly(d2)).inventoryDigest(), "the inventory without a digest replaced the held one");
        }
    }
}
