package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireDelivery;
import io.fluxrig.wire.WireSubscription;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport against a real nats-server: order, dedupe, redelivery, dead letters, conflicts. */
class JetStreamWireTransportTest {
    private static NatsServer server;
    private static Connection raw;
    private JetStreamWireTransport transport;

    @BeforeAll
    static void startServer() throws Exception {
        server = NatsServer.started();
        raw = server.connect();
    }

    @AfterAll
    static void stopServer() throws Exception {
        raw.close();
        server.close();
    }

    @BeforeEach
    void startTransport() throws InterruptedException {
        transport = Wires.connected(Wires.settings(server));
    }

    @AfterEach
    void stopTransport() {
        transport.deactivate();
    }

    @Test
    void publishedMessagesAreConsumedInOrderWithWireMeta() throws Exception {
        transport.addStream(Wires.stream("ORDERED", "ordered", Wires.consumer(true, 5, Duration.ofSeconds(5))));
        for (int i = 0; i < 200; i++) {
            transport.publish("ordered", Wires.msg("p", i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        List<WireDelivery> got = new CopyOnWriteArrayList<>();
        try (WireSubscription s = transport.subscribe("ordered", "rack-a-gear-ordered", d -> {
            got.add(d);
            d.ack();
        })) {
            Await.until("200 delivered", () -> got.size() >= 200);
        }
        assertEquals(200, got.size());
        for (int i = 0; i < 200; i++) {
            FluxMsg m = got.get(i).msg();
            assertEquals(i, m.getLong("seq"));
            assertEquals("1", m.meta(WireDelivery.META_DELIVERY_COUNT));
            assertEquals("ordered", m.meta(WireDelivery.META_WIRE));
        }
        var info = raw.jetStreamManagement().getMessage("ORDERED", 1);
        assertEquals("application/cbor; fluxmsg=1", info.getHeaders().getFirst(WireHeaders.CONTENT_TYPE));
        assertEquals(got.get(0).msg().id() + "/0", info.getHeaders().getFirst(WireHeaders.MSG_ID));
    }

    /**
     * One thread publishing without waiting for acknowledgements (as the rack's outlet sends its
     * window): the first publish (awaited) places the wire on its stream; each publish is sent on
     * the caller's thread, so the stream holds them in call order.
     */
    @Test
    void pipelinedPublishesAreStoredInCallOrder() throws Exception {
        TransportSettings base = Wires.settings(server);
        TransportSettings s = new TransportSettings(base.servers(), "test-pipelined", base.reconnectWait(),
                base.reconnectMaxWait(), Duration.ofSeconds(5), base.defaults(), base.credentials(), base.tlsCa());
        JetStreamWireTransport t = Wires.connected(s);
        int n = 600;
        try {
            t.publish("pipelined", Wires.msg("p", 0)).toCompletableFuture().get(20, TimeUnit.SECONDS); // provisions
            List<java.util.concurrent.CompletableFuture<Void>> results = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                results.add(t.publish("pipelined", Wires.msg("p", i)).toCompletableFuture());
            }
            for (var r : results) {
                r.get(20, TimeUnit.SECONDS);
            }
            assertEquals(0, t.publishFailures());
            var jsm = raw.jetStreamManagement();
            assertEquals(n, jsm.getStreamInfo("WIRE_pipelined").getStreamState().getMsgCount());
            FluxMsgCbor cbor = FluxMsgCbor.standard();
            for (int i = 0; i < n; i++) {
                assertEquals(i, cbor.decode(jsm.getMessage("WIRE_pipelined", i + 1).getData()).getLong("seq"),
                        "stream sequence " + (i + 1));
            }
        } finally {
            t.deactivate();
        }
    }

    @Test
    void theSameMessagePublishedTwiceIsStoredAndDeliveredOnce() throws Exception {
        FluxMsg m = FluxMsg.builder().trace("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .data("x", 1).build();
        transport.publish("dedupe", m).toCompletableFuture().get(5, TimeUnit.SECONDS);
        transport.publish("dedupe", m).toCompletableFuture().get(5, TimeUnit.SECONDS);
        FluxMsg nextHop = m.withHop("rack", "gear", 1L);
        transport.publish("dedupe", nextHop).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(2, raw.jetStreamManagement().getStreamInfo("WIRE_dedupe").getStreamState().getMsgCount(),
                "same id and hop: stored once; one hop further: a new message");
        assertEquals(m.trace(), raw.jetStreamManagement().getMessage("WIRE_dedupe", 1).getHeaders()
                .getFirst(WireHeaders.TRACEPARENT));
        List<FluxMsg> got = new CopyOnWriteArrayList<>();
        try (WireSubscription s = transport.subscribe("dedupe", "c-dedupe", d -> {
            got.add(d.msg());
            d.ack();
        })) {
            Await.until("two delivered", () -> got.size() >= 2);
            awaitSettled("WIRE_dedupe", "c-dedupe", 2);
        }
        assertEquals(2, got.size());
        // Not an ordered wire: two workers may deliver in either order.
        assertEquals(List.of(0, 1), got.stream().map(x -> x.path().size()).sorted().toList());
        assertTrue(got.stream().allMatch(x -> x.id().equals(m.id())));
    }

    @Test
    void nakWithDelayRedeliversWithIncreasingDeliveryCount() throws Exception {
        transport.publish("naks", Wires.msg("p", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<Integer> counts = new CopyOnWriteArrayList<>();
        List<Long> times = new CopyOnWriteArrayList<>();
        try (WireSubscription s = transport.subscribe("naks", "c-naks", d -> {
            counts.add(Integer.parseInt(d.msg().meta(WireDelivery.META_DELIVERY_COUNT)));
            times.add(System.nanoTime());
            if (d.deliveryCount() < 3) {
                d.nak(Duration.ofMillis(300), "not yet");
            } else {
                d.ack();
            }
        })) {
            Await.until("three deliveries", () -> counts.size() >= 3);
            awaitSettled("WIRE_naks", "c-naks", 1);
        }
        assertEquals(List.of(1, 2, 3), counts);
        for (int i = 1; i < 3; i++) {
            long gapMs = (times.get(i) - times.get(i - 1)) / 1_000_000;
            assertTrue(gapMs >= 250, "redelivery waited the nak delay, gap " + gapMs + " ms");
        }
    }

    @Test
    void aHandlerThatAlwaysNaksDeadLettersAfterMaxDeliverWithoutHotLoop() throws Exception {
        transport.addStream(Wires.stream("FAILING", "failing", Wires.consumer(false, 3, Duration.ofSeconds(5))));
        FluxMsg m = Wires.msg("p", 7);
        transport.publish("failing", m).toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<Integer> deliveries = new CopyOnWriteArrayList<>();
        try (WireSubscription s = transport.subscribe("failing", "c-failing", d -> {
            deliveries.add(d.deliveryCount());
            d.nak(Duration.ofMillis(100), "gear says no #" + d.deliveryCount());
        })) {
            Message dead = nextRaw("failing.dlq", 5_000);
            assertNotNull(dead, "a dead letter on failing.dlq");
            awaitSettled("FAILING", "c-failing", 1);
            assertEquals(List.of(1, 2, 3), deliveries, "exactly max deliver deliveries, then none");
            assertEquals("gear says no #3", dead.getHeaders().getFirst(WireHeaders.DLQ_REASON));
            assertEquals("3", dead.getHeaders().getFirst(WireHeaders.DLQ_DELIVERIES));
            assertEquals("failing", dead.getHeaders().getFirst(WireHeaders.DLQ_WIRE));
            assertEquals(m, FluxMsgCbor.standard().decode(dead.getData()), "the original bytes, unchanged");
        }
        assertEquals(0, raw.jetStreamManagement().getConsumerInfo("FAILING", "c-failing").getNumAckPending());
    }

    @Test
    void aDeadLetterReasonNeverCarriesACardNumberInClear() throws Exception {
        transport.addStream(Wires.stream("REFUSED", "refused", Wires.consumer(false, 1, Duration.ofSeconds(5))));
        java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        transport.bindFailures((gear, reason, trace) -> told.add(gear + " | " + reason));
        transport.publish("refused", Wires.msg("p", 8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        try (WireSubscription s = transport.subscribe("refused", "c-refused",
                d -> d.nak(Duration.ofMillis(100), "field 2 '4761739001010010' refused, track 4761739001010010=25122011758928889"))) {
            Message dead = nextRaw("refused.dlq", 5_000);
            assertNotNull(dead, "a dead letter on refused.dlq");
            assertEquals("field 2 '476173******0010' refused, track 476173******0010=****",
                    dead.getHeaders().getFirst(WireHeaders.DLQ_REASON));
            // The rack's failed messages (the live page) are told of it, as masked.
            io.fluxrig.testsupport.Await.until("the dead letter told to the failed messages", () -> !told.isEmpty());
            assertEquals("wire refused (c-refused) | dead-lettered to refused.dlq after 1 deliveries: field 2 '476173******0010' "
                    + "refused, track 476173******0010=****", told.get(0));
        }
    }

    @Test
    void aMalformedPayloadIsDeadLetteredAtOnceWithTheDecoderOffset() throws Exception {
        transport.publish("bad", Wires.msg("p", 0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        byte[] junk = {(byte) 0xa1, 0x61, 0x7a, (byte) 0xff};
        raw.jetStream().publish("fluxrig.wire.bad", junk);
        List<Integer> handled = new CopyOnWriteArrayList<>();
        try (WireSubscription s = transport.subscribe("bad", "c-bad", d -> {
            handled.add(d.deliveryCount());
            d.ack();
        })) {
            Message dead = nextRaw("bad.dlq", 5_000);
            assertNotNull(dead);
            String reason = dead.getHeaders().getFirst(WireHeaders.DLQ_REASON);
            assertTrue(reason.startsWith("undecodable fluxMsg CBOR at offset "), reason);
            assertEquals("1", dead.getHeaders().getFirst(WireHeaders.DLQ_DELIVERIES));
            assertArrayEquals(junk, dead.getData());
            awaitSettled("WIRE_bad", "c-bad", 2);
        }
        assertEquals(List.of(1), handled, "only the good message reached the handler, once");
        assertEquals(2, raw.jetStreamManagement().getStreamInfo("WIRE_bad").getStreamState().getMsgCount());
    }

    @Test
    void racksAgreeOnTheSameDefinitionAndAConflictNamesTheField() throws Exception {
        StreamSpec spec = Wires.stream("SHARED", "shared", Wires.consumer(false, 5, Duration.ofSeconds(5)));
        transport.addStream(spec);
        transport.publish("shared", Wires.msg("a", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        JetStreamWireTransport other = Wires.connected(Wires.settings(server));
        JetStreamWireTransport conflicting = Wires.connected(Wires.settings(server));
        try {
            other.addStream(spec);
            other.publish("shared", Wires.msg("b", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            conflicting.addStream(new StreamSpec("SHARED", List.of("shared"), spec.storage(), 1, Duration.ofHours(2),
                    -1, -1, spec.duplicateWindow(), spec.discard(), spec.consumer()));
            ExecutionException e = assertThrows(ExecutionException.class, () -> conflicting
                    .publish("shared", Wires.msg("c", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("max_age: server has PT1H, this rack wants PT2H"),
                    e.getCause().getMessage());
            Await.until("connected", () -> "CONNECTED".equals(conflicting.state()));
            WireConfigException s = assertThrows(WireConfigException.class,
                    () -> conflicting.subscribe("shared", "c-shared", d -> d.ack()));
            assertTrue(s.getMessage().contains("max_age"), s.getMessage());
        } finally {
            other.deactivate();
            conflicting.deactivate();
        }
        StreamConfiguration kept = raw.jetStreamManagement().getStreamInfo("SHARED").getConfiguration();
        assertEquals(Duration.ofHours(1), kept.getMaxAge(), "the server's stream was not changed");
        assertEquals(2, raw.jetStreamManagement().getStreamInfo("SHARED").getStreamState().getMsgCount());
    }

    /** Attack: a process without credentials connects to the wires' NATS to read or forge messages. */
    @Test
    void aTransportWithoutCredentialsIsRefusedByNats() throws Exception {
        JetStreamWireTransport anonymous = new JetStreamWireTransport(Wires.settings(server.url(), null, server.caFile()));
        try {
            Await.until("the server refused the connection", () -> "DISCONNECTED".equals(anonymous.state())
                    && anonymous.describe().toLowerCase(java.util.Locale.ROOT).contains("authorization"));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> anonymous.publish("x", Wires.msg("p", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("not connected"), e.getCause().getMessage());
        } finally {
            anonymous.deactivate();
        }
    }

    /** Attack: a client that does not check the server (no CA) talks to it in plaintext; the server refuses. */
    @Test
    void aPlaintextTransportIsRefusedByTheTlsServerAndSaysWhy() throws Exception {
        String plaintext = "nats://127.0.0.1:" + server.port();
        JetStreamWireTransport t = new JetStreamWireTransport(Wires.settings(plaintext, server.creds(), null));
        try {
            Await.until("refused for want of TLS", () -> "DISCONNECTED".equals(t.state()) && t.describe().contains(
                    "NATS " + plaintext + ": the server requires TLS but this client has no NATS CA file set"));
        } finally {
            t.deactivate();
        }
    }

    /** Attack: a server of another CA (a man in the middle, another deployment) never sees the rack's credential. */
    @Test
    void aTransportTrustingAnotherCaRefusesTheServerAndConnectsOnceTheCaFileIsRight() throws Exception {
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("fluxrig-wrong-ca-", ".crt");
        try (io.fluxrig.testsupport.NatsServer other = io.fluxrig.testsupport.NatsServer.started()) {
            java.nio.file.Files.copy(other.caFile(), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            JetStreamWireTransport t = new JetStreamWireTransport(Wires.settings(server.url(), server.creds(), ca));
            try {
                Await.until("refused: a certificate of another CA", () -> "DISCONNECTED".equals(t.state()) && t.describe().contains(
                        "NATS " + server.url() + ": the server's TLS certificate is not signed by the CA this client trusts"));
                // The transport keeps retrying: the right CA file in place of the wrong one is used from the next attempt.
                java.nio.file.Files.copy(server.caFile(), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Await.until("connected with the right CA", t::connected);
            } finally {
                t.deactivate();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(ca);
        }
    }

    @Test
    void publishFailsAtOnceWithAClearReasonWhenNatsIsUnreachable() throws Exception {
        TransportSettings s = Wires.settings("nats://127.0.0.1:1", server.creds());
        JetStreamWireTransport nowhere = new JetStreamWireTransport(s);
        try {
            Await.until("the first connect attempt failed", () -> "DISCONNECTED".equals(nowhere.state()));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> nowhere.publish("x", Wires.msg("p", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS));
            String why = e.getCause().getMessage();
            assertTrue(why.startsWith("wire x: not sent, NATS is not connected: DISCONNECTED"), why);
            assertTrue(why.contains("nats://127.0.0.1:1"), "names the servers: " + why);
            assertEquals(1, nowhere.publishFailures());
            assertEquals("DISCONNECTED", nowhere.state());
        } finally {
            nowhere.deactivate();
        }
    }

    /**
     * Waits until the server says no delivery can come any more: every message up to
     * {@code lastSeq} acknowledged (or terminated), nothing pending, nothing awaiting an ack.
     */
    private static void awaitSettled(String stream, String durable, long lastSeq) throws InterruptedException {
        Await.until(durable + " settled on the server", () -> {
            try {
                ConsumerInfo c = raw.jetStreamManagement().getConsumerInfo(stream, durable);
                return c.getAckFloor().getStreamSequence() >= lastSeq && c.getNumAckPending() == 0 && c.getNumPending() == 0;
            } catch (IOException | JetStreamApiException e) {
                return false;
            }
        });
    }

    /** The next message on a wire's stream, read and acked with a plain client. */
    private static Message nextRaw(String wire, long timeoutMs) throws Exception {
        AtomicReference<Message> next = new AtomicReference<>();
        Await.until("a message on " + wire, () -> {
            try {
                List<String> streams = raw.jetStreamManagement().getStreamNames(Names.subject(wire));
                if (streams.isEmpty()) {
                    return false; // not created yet
                }
                JetStreamSubscription sub = raw.jetStream().subscribe(Names.subject(wire),
                        PullSubscribeOptions.builder().stream(streams.get(0)).build());
                List<Message> got = sub.fetch(1, Duration.ofMillis(100));
                sub.unsubscribe();
                if (got.isEmpty()) {
                    return false;
                }
                got.get(0).ack();
                next.set(got.get(0));
                return true;
            } catch (IOException | JetStreamApiException e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofMillis(timeoutMs));
        return next.get();
    }
}
