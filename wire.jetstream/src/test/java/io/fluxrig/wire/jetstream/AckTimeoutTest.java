package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An ack that does not come within the ack timeout: nats-server is frozen (SIGSTOP, connections
 * stay open, nothing is answered) while a message is published. The publish fails naming the ack
 * timeout (the transport keeps no retry of its own); once the server is resumed (SIGCONT), sending
 * the same message again, as the rack's outlet does, is acknowledged, and the stream holds it once:
 * the first attempt, stored when the server resumed, and the resend share their Msg-Id.
 */
class AckTimeoutTest {
    @Test
    void anAckTimeoutFailsThePublishAndTheResentMessageIsStoredOnce() throws Exception {
        try (NatsServer server = NatsServer.started(); Connection raw = server.connect()) {
            TransportSettings base = Wires.settings(server);
            TransportSettings s = new TransportSettings(base.servers(), "test-ack-timeout", base.reconnectWait(),
                    base.reconnectMaxWait(), Duration.ofMillis(300), base.defaults(), base.credentials(), base.tlsCa());
            JetStreamWireTransport t = Wires.connected(s);
            try {
                t.publish("acktimeout", Wires.msg("p", 0)).toCompletableFuture().get(10, TimeUnit.SECONDS); // places the wire
                FluxMsg m = Wires.msg("p", 1);
                server.freeze();
                try {
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> t.publish("acktimeout", m).toCompletableFuture().get(10, TimeUnit.SECONDS));
                    assertTrue(e.getCause().getMessage().contains("no JetStream ack within 300 ms"), e.getCause().getMessage());
                } finally {
                    server.unfreeze();
                }
                Await.until("the resent message acknowledged", () -> acknowledged(t, m));
                assertEquals(2, raw.jetStreamManagement().getStreamInfo("WIRE_acktimeout").getStreamState().getMsgCount(),
                        "the resent message is deduplicated by its Msg-Id");
            } finally {
                t.deactivate();
            }
        }
    }

    /** One attempt, as the rack's outlet makes them: true when acknowledged. */
    private static boolean acknowledged(JetStreamWireTransport t, FluxMsg m) {
        try {
            t.publish("acktimeout", m).toCompletableFuture().get(10, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
