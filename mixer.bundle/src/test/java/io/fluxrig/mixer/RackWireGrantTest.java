package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.Jwt;
import io.fluxrig.nats.trust.WireSubjects;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.testsupport.Await;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rack's NATS credential narrowed to the wires of the patch the Mixer deployed to it, on a real
 * nats-server in operator mode with a real Mixer: patch A lets the rack publish and consume wire A
 * and the server refuses it wire B; a deploy naming B re-issues the credential (a renewal the
 * Mixer queues) and the rack's running connection moves to it (its older key is revoked once it
 * uses the new certificate), so B works without a restart; once B is applied, A is closed again.
 */
class RackWireGrantTest {
    private static final String RACK = "edge-wires";

    @RegisterExtension
    static final SharedMixer MIXER = new SharedMixer();
    static MixerFixture f;

    private static String patch(String wire) {
        return "gears:\n  log: log\n  tick: { type: timer, config: { interval.ms: 1000 } }\nlinks:\n"
                + "  - tick.out -> wire:" + wire + "\n  - wire:" + wire + " -> log.in\n";
    }

    /** Uploads the patch and queues apply-patch through the operator API; waits for the rack's result. */
    private static void deploy(String wire) throws Exception {
        var up = f.upload(patch(wire).getBytes(StandardCharsets.UTF_8), f.operatorToken, true);
        assertTrue(up.statusCode() == 201 || up.statusCode() == 200, up.body());
        String digest = f.read(up.body()).get("digest").asText();
        var queued = f.api("/api/racks/" + RACK + "/commands", "{\"type\":\"apply-patch\",\"args\":{\"digest\":\"" + digest
                + "\",\"name\":\"" + wire + ".yaml\"}}", f.operatorToken);
        assertEquals(201, queued.statusCode(), queued.body());
        String id = f.read(queued.body()).get("id").asText();
        Await.until("the rack applies the patch of wire " + wire, () -> state(id).equals(CommandRecord.DONE), MixerFixture.PATIENCE);
    }

    private static String state(String id) {
        try {
            return f.mixer.commands().status(id).orElseThrow().state();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String claims(Path creds) {
        try {
            return Jwt.claimsJson(Creds.read(creds).jwt());
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    /** As the rack's transport connects: its creds file, its own inbox prefix (the only one its credential may subscribe to). */
    private static Options.Builder options(Path creds) {
        return new Options.Builder().server(f.nats.url()).sslContext(f.nats.sslContext()).authHandler(new CredsAuthHandler(creds))
                .inboxPrefix(WireSubjects.inboxPrefix(RACK))
                .errorListener(new io.nats.client.ErrorListener() { });
    }

    private static void publish(Connection c, String wire, String text) throws Exception {
        c.jetStream().publish(WireSubjects.subject(wire), text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean publishes(Connection c, String wire) {
        try {
            publish(c, wire, "probe");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The rack's own durable consumer of the wire, as the transport makes it, and one message pulled and acknowledged. */
    private static String consume(Connection c, String wire) throws Exception {
        String durable = WireSubjects.rackDurable(RACK, "log", wire);
        c.jetStreamManagement().addOrUpdateConsumer(WireSubjects.defaultStream(wire), ConsumerConfiguration.builder()
                .durable(durable).filterSubject(WireSubjects.subject(wire)).ackPolicy(AckPolicy.Explicit).build());
        JetStreamSubscription s = c.jetStream().subscribe(WireSubjects.subject(wire),
                PullSubscribeOptions.bind(WireSubjects.defaultStream(wire), durable));
        s.pull(1);
        Message m = s.nextMessage(Duration.ofSeconds(30));
        m.ackSync(Duration.ofSeconds(10));
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void aRackUsesTheWiresOfItsPatchAndAfterADeployNamingBWireB() throws Exception {
        try (Connection admin = f.nats.connect()) {
            for (String w : new String[] {"a", "b"}) {
                admin.jetStreamManagement().addStream(StreamConfiguration.builder().name(WireSubjects.defaultStream(w))
                        .subjects(WireSubjects.subject(w)).storageType(StorageType.File).build());
            }
            admin.jetStream().publish(WireSubjects.subject("b"), "wire b, another rack's".getBytes(StandardCharsets.UTF_8));
        }
        Path dir = f.enrol(RACK);
        Path creds = dir.resolve("nats.creds");
        assertTrue(!claims(creds).contains("fluxrig.wire."), "before any patch the rack may use no wire: " + claims(creds));
        try (FakeRack rack = f.start(RACK, dir, 100)) {
            deploy("a");
            Await.until("the rack's credential names wire a only", () -> claims(creds).contains("\"fluxrig.wire.a\"")
                    && !claims(creds).contains("\"fluxrig.wire.b\""), MixerFixture.PATIENCE);
            // The rack's running connection (reads its creds file at every reconnect, as the transport does).
            try (Connection running = Nats.connect(options(creds).maxReconnects(-1).reconnectWait(Duration.ofMillis(100)).build())) {
                publish(running, "a", "on wire a");
                assertEquals("on wire a", consume(running, "a"));
                // Attack: the rack of patch A writes or reads wire B.
                assertThrows(Exception.class, () -> publish(running, "b", "forged"), "publish on wire b");
                assertThrows(Exception.class, () -> consume(running, "b"), "a consumer of wire b");

                deploy("b");
                Await.until("the running connection moves to the credential naming wire b and may publish there",
                        () -> publishes(running, "b"), MixerFixture.PATIENCE);
                assertEquals("wire b, another rack's", consume(running, "b"));
            }
            Await.until("once patch b is applied, the credential names wire b only", () -> claims(creds).contains("\"fluxrig.wire.b\"")
                    && !claims(creds).contains("\"fluxrig.wire.a\""), MixerFixture.PATIENCE);
            try (Connection narrowed = Nats.connect(options(creds).build())) {
                assertThrows(Exception.class, () -> publish(narrowed, "a", "after the switch"), "wire a is closed again");
                publish(narrowed, "b", "still b");
            }
        }
        try (Connection admin = f.nats.connect()) {
            assertEquals(1, admin.jetStreamManagement().getStreamInfo(WireSubjects.defaultStream("a")).getStreamState().getMsgCount(),
                    "wire a holds only the rack's message from while it was granted");
        }
    }
}
