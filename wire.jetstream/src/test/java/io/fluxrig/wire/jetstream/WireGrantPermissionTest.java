package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.NKeyPair;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.WireGrant;
import io.fluxrig.nats.trust.WireSubjects;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireDelivery;
import io.fluxrig.wire.WireSubscription;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rack narrowed to the wires of its patch ({@link WireGrant}), on a real nats-server in operator
 * mode with the real transport: what the grant names works end to end (publish, durable consumer,
 * acknowledgement, dead-letter wire), and every way to reach another wire is refused by the server.
 */
class WireGrantPermissionTest {
    private static final String RACK = "lab";
    private static final String A = "a.in";
    private static final String B = "b.in";

    @TempDir
    static Path tmp;
    static NatsServer server;
    static Connection admin;

    @BeforeAll
    static void start() throws Exception {
        server = NatsServer.started();
        admin = server.connect();
        // Wire B exists and holds a message another rack consumes.
        admin.jetStreamManagement().addStream(StreamConfiguration.builder().name(WireSubjects.defaultStream(B))
                .subjects(WireSubjects.subject(B)).storageType(StorageType.File).build());
        admin.jetStream().publish(WireSubjects.subject(B), "card 4111111111111111".getBytes(StandardCharsets.UTF_8));
        admin.jetStreamManagement().addOrUpdateConsumer(WireSubjects.defaultStream(B), ConsumerConfiguration.builder()
                .durable(WireSubjects.rackDurable("core", "issuer", B)).filterSubject(WireSubjects.subject(B))
                .ackPolicy(AckPolicy.Explicit).build());
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        server.close();
    }

    private static WireGrant grant(String... wires) {
        Map<String, String> consumers = new java.util.TreeMap<>();
        for (String w : wires) {
            consumers.put(WireSubjects.rackDurable(RACK, "gear", w), w);
        }
        return new WireGrant(Set.of(wires), Set.of(), consumers);
    }

    private static Path creds(String file, NKeyPair key, WireGrant grant) throws Exception {
        String jwt = server.trust().userJwt(NatsTrust.Account.WIRES, grant.permissions(RACK), RACK, key.publicKey(), null);
        Path f = tmp.resolve(file);
        new Creds(jwt, key.seed()).write(f);
        return f;
    }

    /** Creds of rack {@code rack} (its user JWT's name: its inbox prefix) with the grant's permissions. */
    private static Path creds(String file, String rack, WireGrant grant) throws Exception {
        NKeyPair key = NKeyPair.generate(NKeyPair.Type.USER);
        String jwt = server.trust().userJwt(NatsTrust.Account.WIRES, grant.permissions(rack), rack, key.publicKey(), null);
        Path f = tmp.resolve(file);
        new Creds(jwt, key.seed()).write(f);
        return f;
    }

    private static boolean acknowledged(String stream, String durable, long delivered) {
        try {
            var info = admin.jetStreamManagement().getConsumerInfo(stream, durable);
            return info.getNumAckPending() == 0 && info.getDelivered().getConsumerSequence() == delivered;
        } catch (java.io.IOException | io.nats.client.JetStreamApiException e) {
            return false;
        }
    }

    /** Records the server's -ERR lines (permission violations arrive there; the connection stays up). */
    private static final class Errors implements ErrorListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void errorOccurred(Connection conn, String error) {
            seen.add(error);
        }
    }

    @Test
    void theGrantedWireWorksEndToEndWithTheRealTransport() throws Exception {
        Path creds = creds("a.creds", NKeyPair.generate(NKeyPair.Type.USER), grant(A));
        JetStreamWireTransport t = Wires.connected(Wires.settings(server.url(), creds, server.caFile()));
        try {
            t.publish(A, Wires.msg("p", 1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<WireDelivery> got = new CopyOnWriteArrayList<>();
            try (WireSubscription s = t.subscribe(A, RACK + "-gear-" + A, d -> {
                got.add(d);
                d.ack();
            })) {
                Await.until("the message on the granted wire is delivered", () -> got.size() == 1);
                String durable = WireSubjects.rackDurable(RACK, "gear", A);
                Await.until("its acknowledgement reaches the server", () -> acknowledged(WireSubjects.defaultStream(A), durable, 1));
            }
            assertEquals(1L, got.get(0).msg().getLong("seq"));
            // The consumer side may dead-letter: its .dlq wire is writable.
            t.publish(WireSubjects.dlq(A), Wires.msg("dlq", 2)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            t.deactivate();
        }
    }

    /** Attack: a rack given wire A reads, writes or steals from wire B, which another rack's patch names. */
    @Test
    void everyWayToAnotherRacksWireIsRefusedByTheServer() throws Exception {
        Path creds = creds("only-a.creds", NKeyPair.generate(NKeyPair.Type.USER), grant(A));
        long before = admin.jetStreamManagement().getStreamInfo(WireSubjects.defaultStream(B)).getStreamState().getMsgCount();
        JetStreamWireTransport t = Wires.connected(Wires.settings(server.url(), creds, server.caFile()));
        try {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> t.publish(B, Wires.msg("forged", 1)).toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertTrue(refused.getCause() != null, "the transport reports the refused publish");
        } finally {
            t.deactivate();
        }
        Errors errors = new Errors();
        Options o = new Options.Builder().server(server.url()).sslContext(server.sslContext()).authHandler(new CredsAuthHandler(creds)).errorListener(errors)
                .noReconnect().build();
        try (Connection rack = Nats.connect(o)) {
            rack.publish(WireSubjects.subject(B), "forged approval".getBytes(StandardCharsets.UTF_8));
            Await.until("the server refuses the plain publish on wire B", () -> errors.seen.stream()
                    .anyMatch(e -> e.contains("Permissions Violation for Publish") && e.contains(WireSubjects.subject(B))));
            var jsm = rack.jetStreamManagement();
            String streamB = WireSubjects.defaultStream(B);
            // A consumer of its own name on B's stream, filtered to B: the create subject names B's filter.
            assertThrows(Exception.class, () -> jsm.addOrUpdateConsumer(streamB, ConsumerConfiguration.builder()
                    .durable(WireSubjects.rackDurable(RACK, "gear", A)).filterSubject(WireSubjects.subject(B))
                    .ackPolicy(AckPolicy.Explicit).build()), "a consumer of wire B");
            // ... or without a filter, or ephemeral.
            assertThrows(Exception.class, () -> jsm.addOrUpdateConsumer(streamB, ConsumerConfiguration.builder()
                    .durable(WireSubjects.rackDurable(RACK, "gear", A)).ackPolicy(AckPolicy.Explicit).build()), "an unfiltered consumer");
            assertThrows(Exception.class, () -> rack.jetStream().subscribe(WireSubjects.subject(B)), "an ephemeral consumer of wire B");
            // Pulling from another rack's consumer of B, reading B's stored messages directly.
            assertThrows(Exception.class, () -> {
                JetStreamSubscription s = rack.jetStream().subscribe(WireSubjects.subject(B),
                        PullSubscribeOptions.bind(streamB, WireSubjects.rackDurable("core", "issuer", B)));
                s.pull(1);
                if (s.nextMessage(java.time.Duration.ofSeconds(5)) == null) {
                    throw new IllegalStateException("nothing pulled");
                }
            }, "a pull from another rack's consumer");
            assertThrows(Exception.class, () -> jsm.getMessage(streamB, 1), "a direct read of B's stream");
            assertThrows(Exception.class, () -> jsm.purgeStream(streamB), "a purge of B's stream");
            assertThrows(Exception.class, () -> jsm.deleteStream(streamB), "a deletion of B's stream");
        }
        var state = admin.jetStreamManagement().getStreamInfo(WireSubjects.defaultStream(B)).getStreamState();
        assertEquals(before, state.getMsgCount(), "wire B holds only its own messages: nothing forged was stored, nothing purged");
        assertEquals(0, admin.jetStreamManagement().getConsumerInfo(WireSubjects.defaultStream(B),
                WireSubjects.rackDurable("core", "issuer", B)).getDelivered().getConsumerSequence(),
                "the other rack's consumer delivered nothing to the intruder");
    }

    /**
     * Attack: a rack that learned another rack's inbox (or subscribes to every inbox) would read
     * the pull deliveries and API answers meant for it. The grant allows the rack's own inbox
     * prefix only; the transport uses it (the end-to-end test above runs through it).
     */
    @Test
    void aRackSubscribesOnlyToItsOwnInbox() throws Exception {
        Path creds = creds("inbox.creds", NKeyPair.generate(NKeyPair.Type.USER), grant(A));
        Errors errors = new Errors();
        Options o = new Options.Builder().server(server.url()).sslContext(server.sslContext()).authHandler(new CredsAuthHandler(creds))
                .errorListener(errors).inboxPrefix(WireSubjects.inboxPrefix(RACK)).noReconnect().build();
        try (Connection rack = Nats.connect(o)) {
            rack.subscribe("_INBOX.>");
            Await.until("the server refuses a subscription to every inbox", () -> errors.seen.stream()
                    .anyMatch(e -> e.contains("Permissions Violation for Subscription") && e.contains("_INBOX.>")));
            String other = WireSubjects.inboxPrefix("core") + ".>";
            rack.subscribe(other);
            Await.until("the server refuses a subscription to another rack's inbox", () -> errors.seen.stream()
                    .anyMatch(e -> e.contains("Permissions Violation for Subscription") && e.contains(other)));
            // Its own prefix works: a JetStream API answer comes back to it.
            assertEquals(WireSubjects.defaultStream(B), rack.jetStreamManagement().getStreamInfo(WireSubjects.defaultStream(B))
                    .getConfiguration().getName());
            assertTrue(errors.seen.stream().noneMatch(e -> e.contains(WireSubjects.inboxPrefix(RACK) + ".")),
                    "no refusal of the rack's own inbox: " + errors.seen);
        }
    }

    @Test
    void aGrantNamingBothWiresOpensWireBToo() throws Exception {
        NKeyPair key = NKeyPair.generate(NKeyPair.Type.USER);
        Path creds = creds("a-and-b.creds", key, grant(A).union(grant(B)));
        JetStreamWireTransport t = Wires.connected(Wires.settings(server.url(), creds, server.caFile()));
        try {
            t.publish(B, Wires.msg("p", 7)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<WireDelivery> got = new CopyOnWriteArrayList<>();
            try (WireSubscription s = t.subscribe(B, RACK + "-gear-" + B, d -> {
                got.add(d);
                d.ack();
            })) {
                Await.until("wire B delivers to the rack now granted it", () -> got.stream()
                        .anyMatch(d -> d.msg().getLong("seq") != null && d.msg().getLong("seq") == 7L));
            }
        } finally {
            t.deactivate();
        }
    }

    /**
     * Two racks whose patches name one consumer group, each its own user with its own inbox, are
     * both granted the group's durable: what one acknowledged the other never gets (one consumer,
     * one state), and the deliveries of each reach its own inbox. A rack granted only its own
     * consumer of the same wire cannot pull from the group's.
     */
    @Test
    void racksOfOneGroupShareItsDurableAndAnotherRackCannotPullFromIt() throws Exception {
        String wire = "grp.in";
        String stream = WireSubjects.defaultStream(wire);
        String shared = WireSubjects.rackDurable("grp", "gear", wire);
        WireGrant group = new WireGrant(Set.of(wire), Set.of(), Map.of(shared, wire));
        JetStreamWireTransport c1 = Wires.connected(Wires.settings(server.url(), creds("c1.creds", "c1", group), server.caFile()));
        JetStreamWireTransport c2 = Wires.connected(Wires.settings(server.url(), creds("c2.creds", "c2", group), server.caFile()));
        try {
            for (long i = 1; i <= 3; i++) {
                c1.publish(wire, Wires.msg("p", i)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            List<Long> first = new CopyOnWriteArrayList<>();
            try (WireSubscription s = c1.subscribe(wire, "grp-gear-" + wire, d -> {
                first.add(d.msg().getLong("seq"));
                d.ack();
            })) {
                Await.until("rack c1 takes the first three", () -> first.size() == 3 && acknowledged(stream, shared, 3));
            }
            for (long i = 4; i <= 6; i++) {
                c2.publish(wire, Wires.msg("p", i)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            List<Long> second = new CopyOnWriteArrayList<>();
            try (WireSubscription s = c2.subscribe(wire, "grp-gear-" + wire, d -> {
                second.add(d.msg().getLong("seq"));
                d.ack();
            })) {
                Await.until("rack c2 reads through the same durable", () -> second.size() >= 3 && acknowledged(stream, shared, 6));
            }
            assertEquals(List.of(1L, 2L, 3L), first.stream().sorted().toList());
            assertEquals(List.of(4L, 5L, 6L), second.stream().sorted().toList(), "c2 got only what c1 had not acknowledged");
            assertEquals(List.of(shared), admin.jetStreamManagement().getConsumerNames(stream), "one consumer for both racks");
            c1.publish(wire, Wires.msg("p", 7)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            c1.deactivate();
            c2.deactivate();
        }
        Path outsider = creds("c3.creds", "c3", new WireGrant(Set.of(), Set.of(), Map.of(WireSubjects.rackDurable("c3", "gear", wire), wire)));
        Options o = new Options.Builder().server(server.url()).sslContext(server.sslContext()).authHandler(new CredsAuthHandler(outsider))
                .inboxPrefix(WireSubjects.inboxPrefix("c3")).errorListener(new Errors()).noReconnect().build();
        try (Connection rack = Nats.connect(o)) {
            assertThrows(Exception.class, () -> {
                JetStreamSubscription s = rack.jetStream().subscribe(WireSubjects.subject(wire), PullSubscribeOptions.bind(stream, shared));
                s.pull(1);
                if (s.nextMessage(java.time.Duration.ofSeconds(5)) == null) {
                    throw new IllegalStateException("nothing pulled");
                }
            }, "a pull from the group's consumer by a rack outside the group");
        }
        assertEquals(6, admin.jetStreamManagement().getConsumerInfo(stream, shared).getDelivered().getConsumerSequence(),
                "the group's consumer delivered nothing to the rack outside it");
    }
}
