package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Who may write a wire, on a real nats-server in operator mode: the operator tools' read-only
 * user ({@link Role#READER}) reads streams but cannot publish on a wire, acknowledge, or change a
 * stream; a rack ({@link Role#RACK}) cannot delete streams. Each refusal is the server's.
 */
class WireAuthorizationTest {
    private static final String WIRE = "fluxrig.wire.auth.responses.edge";

    /** Records the server's -ERR lines (permission violations arrive there; the connection stays up). */
    private static final class Errors implements ErrorListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void errorOccurred(Connection conn, String error) {
            seen.add(error);
        }
    }

    /** Attack: a read-only credential publishes a forged approval on the edge's response wire. */
    @Test
    void aForgedApprovalFromTheReadOnlyUserIsRefusedByNats() throws Exception {
        try (NatsServer server = NatsServer.started(); Connection rack = server.connect(Role.RACK)) {
            rack.jetStreamManagement().addStream(StreamConfiguration.builder().name("WIRE_auth_responses_edge").subjects(WIRE)
                    .storageType(StorageType.File).build());
            rack.jetStream().publish(WIRE, "{\"approved\":false}".getBytes(StandardCharsets.UTF_8));
            Errors errors = new Errors();
            try (Connection reader = io.nats.client.Nats.connect(server.options(Role.READER).errorListener(errors).build())) {
                reader.publish(WIRE, "{\"approved\":true}".getBytes(StandardCharsets.UTF_8));
                Await.until("the server refuses the publish", () -> errors.seen.stream()
                        .anyMatch(e -> e.contains("Permissions Violation for Publish") && e.contains(WIRE)));
                assertThrows(Exception.class, () -> reader.jetStream().publish(WIRE, "x".getBytes(StandardCharsets.UTF_8)),
                        "a JetStream publish is refused too");
                assertThrows(Exception.class, () -> reader.jetStreamManagement().purgeStream("WIRE_auth_responses_edge"),
                        "the reader cannot purge the wire");
                // What the reader may do: read stream information.
                assertEquals(List.of("WIRE_auth_responses_edge"), reader.jetStreamManagement().getStreamNames());
            } catch (java.io.IOException timeout) {
                throw new AssertionError("the reader could not connect", timeout);
            }
            var stored = rack.jetStreamManagement().getStreamInfo("WIRE_auth_responses_edge").getStreamState();
            assertEquals(1, stored.getMsgCount(), "only the rack's message is on the wire, not purged");
            assertEquals("{\"approved\":false}", new String(rack.jetStreamManagement()
                    .getMessage("WIRE_auth_responses_edge", 1).getData(), StandardCharsets.UTF_8));
        }
    }

    /** Attack: a rack credential deletes a wire's stream (every message of every rack on it). */
    @Test
    void aRackCannotDeleteOrPurgeAStream() throws Exception {
        try (NatsServer server = NatsServer.started(); Connection rack = server.connect(Role.RACK)) {
            rack.jetStreamManagement().addStream(StreamConfiguration.builder().name("WIRE_x").subjects("fluxrig.wire.x")
                    .storageType(StorageType.File).build());
            rack.jetStream().publish("fluxrig.wire.x", "m".getBytes(StandardCharsets.UTF_8));
            assertThrows(Exception.class, () -> rack.jetStreamManagement().deleteStream("WIRE_x"));
            assertThrows(Exception.class, () -> rack.jetStreamManagement().purgeStream("WIRE_x"));
            try (Connection admin = server.connect()) {
                assertEquals(1, admin.jetStreamManagement().getStreamInfo("WIRE_x").getStreamState().getMsgCount());
            }
        }
    }
}
