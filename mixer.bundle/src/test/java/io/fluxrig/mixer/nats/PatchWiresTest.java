package io.fluxrig.mixer.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.nats.trust.WireGrant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The wires of a patch as the Mixer reads them (pure logic), and the revocation pruning rule. */
class PatchWiresTest {

    private static WireGrant of(String rack, String yaml) {
        return PatchWires.of(rack, yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDemoPatchesNameTheirWires() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        // rendered as the demo deploys it (its ISO port filled in)
        WireGrant edge = of("edge", Files.readString(root.resolve("run/demo/edge.yaml")).replace("@ISO_PORT@", "9999"));
        assertEquals(Set.of("auth.requests"), edge.publish());
        assertEquals(Map.of("edge-pending-auth_responses_edge", "auth.responses.edge"), edge.consumers());
        assertTrue(edge.publishPrefixes().isEmpty());
        WireGrant core = of("core", Files.readString(root.resolve("run/demo/core.yaml")).replaceAll("@[A-Z_]+@", "9999"));
        assertEquals(Set.of("auth.responses"), core.publishPrefixes(), "the per-message reply wire: whole tokens before it");
        assertTrue(core.consumers().containsValue("auth.requests"), core.consumers().toString());
        List<String> pub = core.permissions("core").pubAllow();
        assertTrue(pub.contains("fluxrig.wire.auth.responses.>"), pub.toString());
        assertTrue(!pub.contains("fluxrig.wire.auth.requests"), "core only reads the requests: " + pub);
        assertTrue(pub.contains("fluxrig.wire.auth.requests.dlq"), "and may dead-letter them: " + pub);
        assertEquals(List.of("_INBOX.core.>"), core.permissions("core").subAllow(), "replies on its own inbox prefix only");
    }

    @Test
    void coresOfOneGroupAreGrantedTheSharedConsumerAndNothingOfAnotherRacksOwn() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        String patch = Files.readString(root.resolve("run/demo/core.yaml")).replaceAll("@[A-Z_]+@", "9999");
        WireGrant core2 = of("core2", patch);
        assertEquals(Map.of("core-issuer-auth_requests", "auth.requests"), core2.consumers(),
                "the demo's core patch names group core: rack core2 reads through the same durable as core");
        assertEquals(core2.consumers(), of("core", patch).consumers());
        List<String> pub = core2.permissions("core2").pubAllow();
        assertTrue(pub.contains("$JS.API.CONSUMER.MSG.NEXT.*.core-issuer-auth_requests"), pub.toString());
        assertTrue(pub.stream().noneMatch(p -> p.contains("core2-issuer")), "no per-rack consumer: " + pub);
        assertEquals(List.of("_INBOX.core2.>"), core2.permissions("core2").subAllow(),
                "deliveries of the shared consumer still come to each rack's own inbox");
        WireGrant lone = of("audit", "links: [ 'wire:auth.requests -> issuer.in' ]\n");
        assertEquals(Map.of("audit-issuer-auth_requests", "auth.requests"), lone.consumers(), "no group: its own durable");
        assertEquals(Map.of("edge3-a-in", "in"), of("edge3", "group: ${rack}\nlinks: [ 'wire:in -> a.in' ]\n").consumers());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of("r", "group: A.B\nlinks: []\n"));
        assertTrue(e.getMessage().startsWith("group 'A.B' is not a name"), e.getMessage());
    }

    @Test
    void rackVariablesFlowStyleAndEscapes() {
        WireGrant g = of("r1", "links: [ \"wire:in.${rack} -> a.in\", 'a.out -> wire:out.${rack}', 'a.x -> b.y',"
                + " \"a.err -> wire:${meta.k}.x\" ]\n");
        assertEquals(Set.of("out.r1"), g.publish());
        assertEquals(Map.of("r1-a-in_r1", "in.r1"), g.consumers());
        assertEquals(Set.of(""), g.publishPrefixes(), "a placeholder first: every wire");
        assertEquals(WireGrant.NONE, of("r1", "gears:\n  a: log\n"), "no links, no wires");
    }

    @Test
    void unreadableLinksAreRefusedNamingTheLink() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of("r", "links:\n  - wire:a b\n"));
        assertTrue(e.getMessage().contains("wire:a b"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> of("r", "links: {a: b}\n"));
        assertThrows(IllegalArgumentException.class, () -> of("r", "links: [\n"));
    }

    @Test
    void aRevocationIsDroppedOnceEveryCredentialItRefusesHasExpired() {
        Duration longest = Duration.ofDays(30);
        long now = 1_000_000_000L;
        Map<String, Long> r = new TreeMap<>(Map.of(
                "UOLD", now - longest.getSeconds() - 1, // every JWT issued before it has expired
                "UEDGE", now - longest.getSeconds(), // a JWT issued at that second may expire only now
                "UNEW", now - 60));
        assertEquals(1, NatsIssuer.prune(r, now, longest));
        assertEquals(Set.of("UEDGE", "UNEW"), r.keySet());
        assertEquals(0, NatsIssuer.prune(r, now, longest));
    }
}
