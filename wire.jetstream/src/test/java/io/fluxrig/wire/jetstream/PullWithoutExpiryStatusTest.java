package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A pull request whose {@code 408 Request Timeout} never reaches the consumer must still end at
 * its own expiry: nats-server 2.9.10 drops an expired pull request without the 408 when a
 * message is stored just as it expires (fixed upstream in later releases; Debian bookworm's
 * 2.9.10 does it every 5-10 s per consumer at 100 messages/s). A loop that waits for that 408, as
 * jnats' {@code iterate} does, waits a full pull wait (500 ms) after the last delivery while no
 * request is open on the server, so everything stored meanwhile waits up to 500 ms.
 *
 * <p>The proxy withholds every 408, so each pull of this test meets that case. The assertion is
 * on the order of events, not on the machine's speed: for every pull that got a delivery late in
 * its life (at least 300 ms after it was sent), the next pull request must leave before a full
 * pull wait has passed since that delivery. The old loop could not do that on any machine (its
 * wait for the next message started at that delivery and lasted the full 500 ms); the new one
 * sends it about 20 ms after the expiry, at most 220 ms after such a delivery, which leaves
 * 280 ms for a loaded machine.
 */
class PullWithoutExpiryStatusTest {
    private static final int RATE = 20;
    private static final int MESSAGES = 80;

    @Test
    void aPullWhose408IsLostEndsAtItsExpiryNotAFullWaitAfterItsLastDelivery() throws Exception {
        // Plaintext: the proxy reads the NATS protocol on the wire.
        try (NatsServer server = startedPlaintext(); StatusWithholdingProxy proxy = new StatusWithholdingProxy(server.port())) {
            JetStreamWireTransport producer = new JetStreamWireTransport(Wires.settings(server));
            JetStreamWireTransport consumer = new JetStreamWireTransport(Wires.settings(proxy.url(), server.creds()));
            Set<Long> delivered = ConcurrentHashMap.newKeySet();
            try {
                StreamSpec spec = Wires.stream("TRICKLE", "trickle", new ConsumerSpec(false, 16, Duration.ofSeconds(30), 5,
                        Duration.ofMillis(100)));
                producer.addStream(spec);
                consumer.addStream(spec);
                Await.until("both connected", () -> "CONNECTED".equals(producer.state())
                        && "CONNECTED".equals(consumer.state()));
                WireSubscription sub = consumer.subscribe("trickle", "rack-b.trickle", d -> {
                    delivered.add(((Number) d.msg().data().get("seq")).longValue());
                    d.ack();
                });
                Await.until("a pull request", () -> !proxy.pulls().isEmpty());
                long start = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                    long wait = start + i * TimeUnit.SECONDS.toNanos(1) / RATE - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    producer.publish("trickle", Wires.msg("p", i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
                Await.until("every message delivered", () -> delivered.size() == MESSAGES);
                assertEquals(MESSAGES, delivered.size(), "every message delivered although no 408 ever arrived");
                sub.close();

                List<StatusWithholdingProxy.Pull> pulls = proxy.pulls();
                List<Long> deliveries = proxy.deliveries();
                List<String> lateOnes = new ArrayList<>();
                int checked = 0;
                for (int i = 0; i + 1 < pulls.size(); i++) {
                    long sent = pulls.get(i).sentNanos();
                    long next = pulls.get(i + 1).sentNanos();
                    // the pull's last delivery: the last one before the next pull request left
                    long last = deliveries.stream().filter(t -> t >= sent && t < next).reduce((a, b) -> b).orElse(sent);
                    if (last - sent < TimeUnit.MILLISECONDS.toNanos(300)) {
                        continue; // no delivery late in this pull's life: the case does not apply
                    }
                    checked++;
                    if (next - last >= WireConsumer.PULL_WAIT.toNanos()) {
                        lateOnes.add("pull " + i + ": last delivery " + TimeUnit.NANOSECONDS.toMillis(last - sent)
                                + " ms after it was sent, next pull " + TimeUnit.NANOSECONDS.toMillis(next - last) + " ms later");
                    }
                }
                assertTrue(proxy.withheld() >= 2, "the proxy withheld " + proxy.withheld() + " 408s");
                assertTrue(checked >= 2, "pulls with a delivery late in their life: " + checked + " of " + pulls.size());
                assertTrue(lateOnes.isEmpty(), "the fetch loop waited a full pull wait for a lost 408: " + lateOnes);
            } finally {
                consumer.deactivate();
                producer.deactivate();
            }
        }
    }

    private static NatsServer startedPlaintext() throws Exception {
        NatsServer s = NatsServer.plaintext();
        try {
            s.start();
            return s;
        } catch (Exception e) {
            s.close();
            throw e;
        }
    }
}
