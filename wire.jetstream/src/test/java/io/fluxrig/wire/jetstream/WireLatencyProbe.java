package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireSubscription;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a regular test (runs only with {@code -Dprobe.rate=N}): the wire path of
 * bench/e2e's {@code wire} topology without the racks. An "edge" transport publishes
 * {@code probe.rate} messages per second for {@code probe.seconds} to wire {@code req}; a "core"
 * transport consumes them (128 in flight, as the bench racks), publishes a reply to {@code resp}
 * and acks the request when the reply is acknowledged (as WireInlet does); the edge consumes the
 * replies. It prints p50/p99/p99.9/max of publish -> reply delivered (the first 2 s left out: JIT)
 * and every message above 50 ms split per hop (with when the request's publish was acknowledged). It asserts only that every reply arrived.
 *
 * <pre>
 * mvn -o -q -B -pl wire.jetstream -am verify -Dfuzz.skip=true -Dtest=WireLatencyProbe \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none -Dprobe.rate=100 -Dprobe.seconds=30
 * </pre>
 */
@EnabledIfSystemProperty(named = "probe.rate", matches = "[0-9]+")
class WireLatencyProbe {
    @Test
    void requestReplyOverTwoWires() throws Exception {
        int rate = Integer.getInteger("probe.rate");
        int seconds = Integer.getInteger("probe.seconds", 30);
        int n = rate * seconds;
        long[] sent = new long[n];
        long[] stored = new long[n];
        long[] atCore = new long[n];
        long[] replyAcked = new long[n];
        long[] atEdge = new long[n];
        ConsumerSpec c = new ConsumerSpec(false, 128, Duration.ofSeconds(30), 5, Duration.ofSeconds(1));
        try (NatsServer server = NatsServer.started()) {
            // the JetStreamConfig defaults (ack timeout 2 s)
            TransportSettings at = new TransportSettings(List.of(server.url()), "probe", Duration.ofMillis(250),
                    Duration.ofMillis(4000), Duration.ofMillis(2000),
                    Wires.stream("WIRE_default", "default", c), server.creds(), server.caFile());
            JetStreamWireTransport edge = new JetStreamWireTransport(at);
            JetStreamWireTransport core = new JetStreamWireTransport(at);
            try {
                for (JetStreamWireTransport t : List.of(edge, core)) {
                    t.addStream(Wires.stream("REQ", "req", c));
                    t.addStream(Wires.stream("RESP", "resp", c));
                }
                Await.until("both connected", () -> edge.connected() && core.connected());
                CountDownLatch done = new CountDownLatch(n);
                WireSubscription cs = core.subscribe("req", "core-req", d -> {
                    int seq = ((Number) d.msg().data().get("seq")).intValue();
                    atCore[seq] = System.nanoTime();
                    core.publish("resp", Wires.msg("core", seq)).whenComplete((v, e) -> {
                        replyAcked[seq] = System.nanoTime();
                        if (e == null) {
                            d.ack();
                        } else {
                            d.nak(Duration.ofSeconds(1), e.toString());
                        }
                    });
                });
                WireSubscription es = edge.subscribe("resp", "edge-resp", d -> {
                    int seq = ((Number) d.msg().data().get("seq")).intValue();
                    if (atEdge[seq] == 0) {
                        atEdge[seq] = System.nanoTime();
                        done.countDown();
                    }
                    d.ack();
                });
                Thread.sleep(1_000);
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long wait = start + i * (1_000_000_000L / rate) - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    sent[i] = System.nanoTime();
                    int seq = i;
                    edge.publish("req", Wires.msg("edge", i)).whenComplete((v, e) -> stored[seq] = System.nanoTime());
                }
                done.await(60, TimeUnit.SECONDS);
                assertEquals(0, done.getCount(), "replies missing");
                report(rate, start, sent, stored, atCore, replyAcked, atEdge);
                cs.close();
                es.close();
            } finally {
                edge.deactivate();
                core.deactivate();
            }
        }
    }

    private static void report(int rate, long start, long[] sent, long[] stored, long[] atCore, long[] replyAcked, long[] atEdge) {
        int n = sent.length;
        int skip = Math.min(n - 1, 2 * rate);
        long[] sorted = new long[n - skip];
        for (int i = skip; i < n; i++) {
            sorted[i - skip] = atEdge[i] - sent[i];
        }
        Arrays.sort(sorted);
        int m = sorted.length;
        long over300 = Arrays.stream(sorted).filter(x -> x > 300_000_000L).count();
        System.out.printf("PROBE rate %d/s, %d replies (first %d left out): p50 %.2f p99 %.2f p99.9 %.2f max %.2f ms,"
                + " %d over 300 ms%n", rate, m, skip, sorted[m / 2] / 1e6, sorted[m * 99 / 100] / 1e6,
                sorted[m * 999 / 1000] / 1e6, sorted[m - 1] / 1e6, over300);
        for (int i = skip; i < n; i++) {
            if (atEdge[i] - sent[i] > 50_000_000L) {
                System.out.printf("PROBE slow %d at %.3f s: %.1f ms = request wire %.1f (publish acked after %.1f)"
                        + " + reply until acked %.1f, reply wire %.1f%n", i, (sent[i] - start) / 1e9,
                        (atEdge[i] - sent[i]) / 1e6, (atCore[i] - sent[i]) / 1e6, (stored[i] - sent[i]) / 1e6,
                        (replyAcked[i] - atCore[i]) / 1e6, (atEdge[i] - atCore[i]) / 1e6);
            }
        }
    }
}
