package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An ack that does not come within the ack timeout: nats-server is frozen (SIGSTOP, connections
 * stay open, nothing is answered) while a message is published, then resumed. The publish must
 * be sent again with the same Msg-Id after the ack timeout, succeed once the server answers,
 * and be stored once.
 */
class AckTimeoutRetryTest {
    @Test
    void anAckTimeoutSendsAgainWithTheSameMsgIdAndTheMessageIsStoredOnce() throws Exception {
        try (NatsServer server = NatsServer.started(); Connection raw = Nats.connect(server.url())) {
            TransportSettings base = Wires.settings(server.url());
            TransportSettings s = new TransportSettings(base.servers(), "test-ack-timeout", base.reconnectWait(),
                    base.reconnectMaxWait(), Duration.ofMillis(300), Duration.ofSeconds(10), 8, 100, base.defaults());
            JetStreamWireTransport t = new JetStreamWireTransport(s);
            try {
                t.publish("acktimeout", Wires.msg("p", 0)).toCompletableFuture().get(10, TimeUnit.SECONDS); // provisions
                server.freeze();
                long start = System.nanoTime();
                CompletableFuture<Void> r;
                try {
                    r = t.publish("acktimeout", Wires.msg("p", 1)).toCompletableFuture();
                    Thread.sleep(1_500);
                    assertTrue(!r.isDone(), "no ack while the server is frozen");
                    assertTrue(t.retries() >= 2, "sent again after each ack timeout of 300 ms: retries " + t.retries());
                } finally {
                    server.unfreeze();
                }
                r.get(10, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("ack timeout test: acknowledged after %d ms, retries %d%n", ms, t.retries());
                assertEquals(2, raw.jetStreamManagement().getStreamInfo("WIRE_acktimeout").getStreamState().getMsgCount(),
                        "the resent message is deduplicated by its Msg-Id");
            } finally {
                t.deactivate();
            }
        }
    }
}
