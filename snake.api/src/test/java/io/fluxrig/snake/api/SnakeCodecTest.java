package io.fluxrig.snake.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnakeCodecTest {
    private final SnakeCodec codec = SnakeCodec.json();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <T> T roundTrip(T value) throws Exception {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) value.getClass();
        return codec.read(codec.write(value), type);
    }

    @Test
    void everyMessageSurvivesARoundTrip() throws Exception {
        Inventory inv = new Inventory(List.of(new Inventory.Bundle(3, "io.fluxrig.gear.json", "1.0.0", "ACTIVE")),
                Map.of("file:/x.jar", "sha256:" + "0".repeat(64)), List.of(new Inventory.GearTypeInfo("json.codec", "b 1.0.0")),
                List.of(new Inventory.Gear("codec", "json.codec", "b 1.0.0", "running", 5, 4, 1)), List.of("a.out -> b.in"),
                new Inventory.WireTransport(true, "nats://127.0.0.1:4222"),
                List.of(new Inventory.Capability("osgi.wiring.package", 3, Map.of("osgi.wiring.package", "io.x"))));
        Heartbeat hb = new Heartbeat(5000, Map.of("java", "17"), inv);
        assertEquals(hb, roundTrip(hb));
        for (Object m : List.of(new EnrolRequest("t", "csr"), new EnrolReply("r", "c", "ca"), new RenewRequest("csr"),
                new RenewReply("r", "c"), new CaInfo("pem", "sha256:1"), new HeartbeatReply("r", "online", List.of()),
                new CommandBatch(List.of(new Command("c1", "fetch-artifact", Map.of("digest", "d")))),
                new CommandResult("c1", CommandResult.DONE, "ok"), new CommandAck("c1", "done"), new ErrorReply("no"),
                new TokenRequest("r", Map.of("site", "lab"), "1h"), new TokenReply("t", null, 5, "h", "cmd"),
                new CommandRequest("apply-patch", Map.of("digest", "d")), new CommandQueued("i", "r", "t", "pending"),
                new CommandStatus("i", "r", "t", Map.of(), "done", "x"), new ArtifactInfo("sha256:1", 7))) {
            assertEquals(m, roundTrip(m), m.toString());
        }
    }

    @Test
    void theWireFormatIsThePlainFieldNames() throws Exception {
        assertEquals("{\"id\":\"c1\",\"status\":\"done\",\"detail\":\"ok\"}",
                new String(codec.write(new CommandResult("c1", "done", "ok")), StandardCharsets.UTF_8));
        Inventory empty = new Inventory(null, null, null, null, null, null, null);
        String json = new String(codec.write(empty), StandardCharsets.UTF_8);
        assertFalse(json.contains("wireTransport"), "absent when the rack has no wire transport: " + json);
        assertTrue(json.contains("\"bundles\":[]"), json);
        // What racks sent before the contract existed still reads.
        Heartbeat old = codec.read(utf8("{\"heartbeatMillis\":100,\"versions\":{\"fluxrig\":\"1.0.0\"},\"inventory\":"
                + "{\"bundles\":[{\"symbolicName\":\"x\",\"version\":\"1.0.0\",\"state\":\"ACTIVE\"}]}}"), Heartbeat.class);
        assertEquals("x", old.inventory().bundles().get(0).symbolicName());
        assertEquals(100, old.periodMillis());
        assertEquals(Heartbeat.DEFAULT_PERIOD_MS, codec.read(utf8("{}"), Heartbeat.class).periodMillis());
    }

    @Test
    void unknownFieldsAreIgnoredForNewerPeers() throws Exception {
        Command c = codec.read(utf8("{\"id\":\"1\",\"type\":\"t\",\"priority\":9,\"args\":{\"a\":\"b\"}}"), Command.class);
        assertEquals(new Command("1", "t", Map.of("a", "b")), c);
        assertEquals(Map.of(), codec.read(utf8("{\"id\":\"1\",\"type\":\"t\"}"), Command.class).args());
    }

    @Test
    void refusalsNameTheFieldAndTheReason() {
        SnakeCodec.DecodeException e = assertThrows(SnakeCodec.DecodeException.class,
                () -> codec.read(utf8("{\"token\":5,\"csr\":\"x\"}"), EnrolRequest.class));
        assertEquals("token", e.field());
        assertTrue(e.getMessage().startsWith("field 'token' must be a string"), e.getMessage());
        e = assertThrows(SnakeCodec.DecodeException.class, () -> codec.read(
                utf8("{\"inventory\":{\"bundles\":[{\"id\":\"seven\"}]}}"), Heartbeat.class));
        assertEquals("inventory.bundles[0].id", e.field());
        assertTrue(e.getMessage().startsWith("field 'inventory.bundles[0].id' must be a whole number"), e.getMessage());
        e = assertThrows(SnakeCodec.DecodeException.class, () -> codec.read(utf8("{not json"), EnrolRequest.class));
        assertTrue(e.getMessage().startsWith("malformed JSON body: "), e.getMessage());
        assertTrue(e.getMessage().contains("(at offset "), e.getMessage());
        e = assertThrows(SnakeCodec.DecodeException.class, () -> codec.read(utf8("[1,2]"), EnrolRequest.class));
        assertEquals("the body must be a JSON object", e.getMessage());
        e = assertThrows(SnakeCodec.DecodeException.class, () -> codec.read(utf8("null"), EnrolRequest.class));
        assertEquals("the body must be a JSON object", e.getMessage());
        e = assertThrows(SnakeCodec.DecodeException.class, () -> SnakeCodec.required(null, "csr"));
        assertEquals("missing field 'csr'", e.getMessage());
    }

    @Test
    void errorBodiesGiveTheirReason() {
        assertEquals("unknown token", codec.error(codec.write(new ErrorReply("unknown token"))));
        assertEquals("no reason given", codec.error(utf8("<html>")));
        assertEquals("no reason given", codec.error(new byte[0]));
    }

    @Test
    void theSummaryTravelsBesideTheInventoryAndOldPeersOmitIt() throws Exception {
        RackSummary summary = new RackSummary(5000, 12.5, 12.0, 0.02);
        Heartbeat hb = new Heartbeat(5000, Map.of(), null).digestOnly("sha256:" + "a".repeat(64)).withSummary(summary);
        assertEquals(summary, roundTrip(hb).summary());
        assertEquals(summary, hb.withInventoryDigest("sha256:" + "b".repeat(64)).summary());
        assertEquals(null, codec.read(utf8("{\"heartbeatMillis\":100}"), Heartbeat.class).summary(), "a rack that predates summaries");
        assertEquals(false, new String(codec.write(new Heartbeat(100, Map.of(), null)), StandardCharsets.UTF_8).contains("summary"));
        RackInfo info = new RackInfo("r", null, "online", 1, 2, null, 5000, null, 3, "heartbeat", summary);
        assertEquals(info, roundTrip(info));
        assertEquals(null, codec.read(utf8("{\"name\":\"r\"}"), RackInfo.class).summary(), "a Mixer that predates summaries");
    }

    @Test
    void processingTimesTravelInTheSummaryAndOldRacksStillDecode() throws Exception {
        RackSummary summary = new RackSummary(5000, 10, 10, 0.1, 4.5,
                Map.of("b", new RackSummary.GearSummary(10, 0.1, 0.5, 4.5), "a", new RackSummary.GearSummary(0, 0, null, null)));
        Heartbeat hb = new Heartbeat(5000, Map.of(), null).withSummary(summary);
        RackSummary back = roundTrip(hb).summary();
        assertEquals(summary, back);
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(back.gears().keySet()), "gears sorted by name");
        String idle = new String(codec.write(summary.gears().get("a")), StandardCharsets.UTF_8);
        assertEquals(false, idle.contains("p99Millis"), "a gear not called has no percentiles: " + idle);

        RackSummary old = codec.read(utf8("{\"intervalMillis\":5000,\"inPerSecond\":2.5,\"outPerSecond\":2.0,\"errorRate\":0.5}"),
                RackSummary.class);
        assertEquals(new RackSummary(5000, 2.5, 2.0, 0.5), old, "a rack that predates processing times");
        assertEquals(null, old.p99Millis());
        assertEquals(null, old.gears());
        String written = new String(codec.write(new RackSummary(5000, 1, 1, 0)), StandardCharsets.UTF_8);
        assertEquals(false, written.contains("p99Millis") || written.contains("gears"), "absent, not null, for older Mixers: " + written);
    }
}
