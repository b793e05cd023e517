package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.jetstream.JetStreamWireTransport;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two core racks on one durable consumer, one SIGKILLed under load. Racks {@code core-a} and
 * {@code core-b}, each started by {@code run/fluxrig rack}, run the same patch, {@code group: cores}
 * with {@code wire:cores.in -> pass (transform) -> wire:cores.out}: the rack names the consumer after
 * the group, so both read through the one durable {@code cores-pass-cores_in} (competing consumers).
 * Once both have a pull request waiting on it, two producers in this JVM publish 2 × 1500 fluxMsgs
 * (producer id + sequence) to {@code cores.in}; when {@code cores.out} holds half of them,
 * {@code core-b} is killed with SIGKILL and not started again: its unacknowledged deliveries come
 * back to {@code core-a} after the ack wait (2 s here). Then every message {@code cores.out} holds is
 * read ({@link WireOutChecker}), with the rack that handled it (its last hop).
 *
 * <p>Asserted: {@code cores.in} has exactly one consumer, the group's; both racks handled requests
 * (the load was shared); every request acknowledged to a producer was answered once (none lost,
 * none stored twice: a redelivered request republished by the survivor has the same
 * {@code Nats-Msg-Id}, so the wire's dedupe keeps one); no answer carries another request's id.
 */
class CompetingCoresKillIT {
    private static final int PER_PRODUCER = 1500;
    private static final List<String> PRODUCERS = List.of("p1", "p2");
    private static final int TOTAL = PER_PRODUCER * PRODUCERS.size();
    private static final String GROUP = "cores";
    private static final String IN_STREAM = "WIRE_cores_in";
    private static final String OUT_STREAM = "WIRE_cores_out";
    private static final String SHARED_CONSUMER = "cores-pass-cores_in";

    @TempDir
    Path dir;

    @Test
    void everyRequestIsAnsweredOnceWhenOneOfTwoCoresSharingTheDurableIsKilled() throws Exception {
        NatsServer nats = new NatsServer();
        Path patch = dir.resolve("cores.yaml");
        Files.writeString(patch, String.join("\n", "group: " + GROUP, "gears:", "  pass:", "    type: transform",
                "    config: { set: [stage=passed] }", "links:", "  - wire:cores.in -> pass.in", "  - pass.out -> wire:cores.out", ""));
        nats.start();
        JetStreamWireTransport producer = new JetStreamWireTransport(WireRackKillIT.config(nats.url(), nats.creds(Role.RACK), nats.caFile()));
        Supervisor processes = Fluxrig.processes();
        List<Thread> producers = new ArrayList<>();
        try (Connection c = nats.connect()) {
            JetStreamManagement jsm = c.jetStreamManagement();
            Child a = WireRackKillIT.startRack(processes, WireRackKillIT.rackFolder(dir.resolve("core-a"), nats, "core-a"), "core-a", patch);
            Child b = WireRackKillIT.startRack(processes, WireRackKillIT.rackFolder(dir.resolve("core-b"), nats, "core-b"), "core-b", patch);
            WireRackKillIT.await(() -> waiting(jsm) >= 2, Duration.ofSeconds(60), "both cores pulling from " + SHARED_CONSUMER, b);

            WireOutChecker checker = new WireOutChecker();
            AtomicInteger publishFailures = new AtomicInteger();
            long t0 = System.nanoTime();
            for (String p : PRODUCERS) {
                Thread t = new Thread(() -> WireRackKillIT.produce(producer, "cores.in", p, PER_PRODUCER, checker, publishFailures),
                        "producer-" + p);
                t.start();
                producers.add(t);
            }
            WireRackKillIT.await(() -> WireRackKillIT.count(jsm, OUT_STREAM) >= TOTAL / 2, Duration.ofSeconds(90),
                    "cores.out reaching half", b);
            WireRackKillIT.kill(b);
            long storedAtKill = WireRackKillIT.count(jsm, OUT_STREAM);
            for (Thread t : producers) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            WireRackKillIT.await(() -> WireRackKillIT.count(jsm, OUT_STREAM) >= TOTAL
                    && WireRackKillIT.settled(jsm, IN_STREAM, SHARED_CONSUMER, TOTAL), Duration.ofSeconds(60),
                    "every cores.in message handled and acknowledged by the survivor", a);
            ConsumerInfo in = jsm.getConsumerInfo(IN_STREAM, SHARED_CONSUMER);
            List<String> consumers = jsm.getConsumerNames(IN_STREAM);
            Fluxrig.terminated(a, Duration.ofSeconds(30));

            Map<String, Integer> byRack = new TreeMap<>();
            long stored = WireRackKillIT.readOut(jsm, OUT_STREAM, checker, byRack);
            Map<String, WireOutChecker.Counts> counts = checker.check();
            System.out.printf("competing cores kill: %d requests from %s in %.1f s; cores.out at the kill %d; answers by core %s;"
                    + " %s deliveries %d (%d more than requests: redeliveries after the kill); publish retries %d; cores.out holds %d%n",
                    TOTAL, PRODUCERS, (System.nanoTime() - t0) / 1e9, storedAtKill, byRack, SHARED_CONSUMER,
                    in.getDelivered().getConsumerSequence(), in.getDelivered().getConsumerSequence() - TOTAL, publishFailures.get(), stored);
            counts.forEach((p, n) -> System.out.println("competing cores checker " + p + ": " + n));

            assertEquals(List.of(SHARED_CONSUMER), consumers, "both cores read through the group's one durable consumer");
            assertTrue(byRack.getOrDefault("core-a", 0) > 0 && byRack.getOrDefault("core-b", 0) > 0,
                    "both cores answered requests (the load was shared): " + byRack);
            assertTrue(storedAtKill > 0 && storedAtKill < TOTAL, "the kill happened under load: cores.out held " + storedAtKill);
            assertEquals(PRODUCERS, List.copyOf(counts.keySet()));
            for (String p : PRODUCERS) {
                WireOutChecker.Counts n = counts.get(p);
                assertEquals(PER_PRODUCER, n.acked(), p + ": every request acknowledged: " + n);
                assertEquals(List.of(), n.lost(), p + ": unanswered: " + n);
                assertEquals(List.of(), n.duplicated(), p + ": answered twice: " + n);
                assertEquals(List.of(), n.otherId(), p + ": an answer with another request's id: " + n);
            }
        } finally {
            producers.forEach(Thread::interrupt);
            processes.close();
            producer.deactivate();
            nats.close();
        }
    }

    /** @return pull requests waiting on the shared consumer (one per core that is pulling); 0 before it exists */
    private static long waiting(JetStreamManagement jsm) {
        try {
            return jsm.getConsumerInfo(IN_STREAM, SHARED_CONSUMER).getNumWaiting();
        } catch (IOException | JetStreamApiException notYet) {
            return 0;
        }
    }
}
