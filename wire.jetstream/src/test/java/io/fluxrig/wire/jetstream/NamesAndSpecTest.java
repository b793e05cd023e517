package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names, wildcard matching, message ids and stream comparison, without a server. */
class NamesAndSpecTest {

    @Test
    void durableNamesLoseOnlyTheCharactersJetStreamRefuses() {
        assertEquals("rack1-gear_a-orders_in", Names.durable("rack1-gear_a-orders.in"));
        assertEquals("a_b_c_d", Names.durable("a b*c>d"));
        assertThrows(IllegalArgumentException.class, () -> Names.durable(""));
    }

    @Test
    void wireNamesAndWildcards() {
        assertEquals("WIRE_payments_auth", Names.defaultStream("payments.auth"));
        assertThrows(IllegalArgumentException.class, () -> Names.wire("a..b"));
        assertThrows(IllegalArgumentException.class, () -> Names.wire("a.*"));
        assertTrue(Names.matches("payments.*", "payments.auth"));
        assertFalse(Names.matches("payments.*", "payments.auth.dlq"));
        assertTrue(Names.matches("payments.>", "payments.auth.dlq"));
        assertFalse(Names.matches("payments.>", "payments"));
        assertTrue(Names.matches("orders", "orders"));
        assertFalse(Names.matches("orders", "orders.dlq"));
    }

    @Test
    void theMsgIdIsStablePerHopAndChangesWithTheHopCount() {
        FluxMsg m = FluxMsg.builder().data("a", 1).build();
        assertEquals(m.id() + "/0", WireHeaders.msgId(m));
        assertEquals(WireHeaders.msgId(m), WireHeaders.msgId(m.toBuilder().build()));
        assertEquals(m.id() + "/1", WireHeaders.msgId(m.withHop("r", "g", 5L)));
    }

    @Test
    void specsCompareFieldByFieldAndRefuseBadValues() {
        StreamSpec a = Wires.stream("S", "w", Wires.consumer(false, 3, Duration.ofSeconds(5)));
        assertEquals(List.of(), a.differences(a.toConfiguration()));
        StreamSpec b = new StreamSpec("S", List.of("w", "x"), a.storage(), 1, a.maxAge(), 1000, -1,
                a.duplicateWindow(), a.discard(), a.consumer());
        List<String> d = a.differences(b.toConfiguration());
        assertEquals(2, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("subjects: server has [fluxrig.wire.w, fluxrig.wire.x]"), d.get(0));
        assertEquals("max_bytes: server has 1000, this rack wants -1", d.get(1));
        assertThrows(IllegalArgumentException.class, () -> new StreamSpec("S", List.of("w"), a.storage(), 1,
                Duration.ofSeconds(30), -1, -1, Duration.ofMinutes(2), a.discard(), a.consumer()));
        assertThrows(IllegalArgumentException.class, () -> StreamSpec.storage("disk"));
        assertEquals(1, new ConsumerSpec(true, 16, Duration.ofSeconds(1), 1, Duration.ZERO).inFlight());
    }

    @Test
    void serversTakeCommaSeparatedListsAndAReplicaCountIsNoConflict() {
        assertEquals(List.of("nats://a:4222", "nats://b:4223", "nats://c:4224"),
                TransportSettings.split(List.of("nats://a:4222, nats://b:4223", " nats://c:4224 ,")));
        assertEquals(List.of("nats://a:4222", "nats://b:4223"), Wires.settings("nats://a:4222,nats://b:4223", null).servers());
        assertEquals(List.of("nats://a:4222"), Wires.settings("nats://a:4222", null).servers());
        assertThrows(IllegalArgumentException.class, () -> Wires.settings(" , ", null));
        IllegalArgumentException inUrl = assertThrows(IllegalArgumentException.class,
                () -> Wires.settings("nats://a:4222,nats://rack:s3cret@b:4223", null), "credentials in a URL are refused");
        assertTrue(inUrl.getMessage().contains("nats://***@b:4223") && !inUrl.getMessage().contains("s3cret"), inUrl.getMessage());
        StreamSpec r1 = Wires.stream("S", "w", Wires.consumer(false, 3, Duration.ofSeconds(5)));
        StreamSpec r3 = new StreamSpec("S", List.of("w"), r1.storage(), 3, r1.maxAge(), r1.maxBytes(), r1.maxMsgs(),
                r1.duplicateWindow(), r1.discard(), r1.consumer());
        assertEquals(List.of(), r3.differences(r1.toConfiguration()), "replicas are reported by the provisioner, not a conflict");
    }
}
