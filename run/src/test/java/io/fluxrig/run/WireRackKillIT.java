package io.fluxrig.run;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Readiness;
import io.fluxrig.cli.launch.Supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.testsupport.Await;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.NatsServer;
import io.fluxrig.wire.WireDelivery;
import io.fluxrig.wire.jetstream.JetStreamConfig;
import io.fluxrig.wire.jetstream.JetStreamWireTransport;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire guarantee with a real rack process: a rack started by {@code run/fluxrig rack} runs
 * {@code wire:kill.in -> pass (transform) -> wire:kill.out}; two producers in this JVM publish
 * 2 × 2500 fluxMsgs (producer id + sequence) to {@code kill.in} through the wire transport while
 * the rack's JVM is killed with SIGKILL twice mid-stream (at about 1/3 and 2/3 of
 * {@code kill.out}) and started again with the same name and data folder. When the rack's
 * durable consumer has nothing pending, a checker ({@link WireOutChecker}) reads every message
 * {@code kill.out} holds: nothing acknowledged to a producer may be missing, and a message stored
 * more than once must be the same fluxMsg (same id: a redelivery republished, which idempotent
 * handling by id absorbs), never a new one.
 *
 * <p>The rack's transport runs with an ack wait of 2 s ({@code default.ack.wait.ms}) so the
 * deliveries in flight at a kill come back within the test's time. The rack is started through
 * {@code run/fluxrig rack} under the CLI's {@link Supervisor} with {@code FLUXRIG_JAVA_OPTS} (no
 * FileInstall write-back into the transport's {@code .cfg}, as the demo does); the launcher execs
 * the JVM, so the supervised process is the rack's {@code java}, which {@link #kill} checks.
 */
class WireRackKillIT {
    private static final int PER_PRODUCER = 2500;
    private static final List<String> PRODUCERS = List.of("p1", "p2");
    private static final int TOTAL = PER_PRODUCER * PRODUCERS.size();
    private static final String RACK = "kill";
    private static final String OUT_STREAM = "WIRE_kill_out";
    private static final String IN_STREAM = "WIRE_kill_in";
    private static final String IN_CONSUMER = "kill-pass-kill_in";

    @TempDir
    Path dir;

    @Test
    void nothingAcknowledgedIsLostWhenTheRackIsKilledMidStream() throws Exception {
        NatsServer nats = new NatsServer();
        String url = nats.url();
        Path rackData = rackFolder(dir.resolve("rack"), nats, RACK);
        Path patch = dir.resolve("kill.yaml");
        Files.writeString(patch, String.join("\n", "rack: kill", "gears:", "  pass:", "    type: transform",
                "    config: { set: [stage=passed] }", "links:", "  - wire:kill.in -> pass.in", "  - pass.out -> wire:kill.out", ""));

        nats.start();
        JetStreamWireTransport producer = new JetStreamWireTransport(config(url, nats.creds(Role.RACK), nats.caFile()));
        Supervisor processes = Fluxrig.processes();
        Child rack = null;
        List<Thread> producers = new ArrayList<>();
        try (Connection c = nats.connect()) {
            JetStreamManagement jsm = c.jetStreamManagement();
            rack = startRack(processes, rackData, RACK, patch);
            WireOutChecker checker = new WireOutChecker();
            AtomicInteger publishFailures = new AtomicInteger();
            long t0 = System.nanoTime();
            for (String p : PRODUCERS) {
                Thread t = new Thread(() -> produce(producer, "kill.in", p, PER_PRODUCER, checker, publishFailures), "producer-" + p);
                t.start();
                producers.add(t);
            }
            List<Long> storedAtKill = new ArrayList<>();
            for (int kill = 1; kill <= 2; kill++) {
                long target = kill * (long) TOTAL / 3;
                await(() -> count(jsm, OUT_STREAM) >= target, Duration.ofSeconds(90), "kill.out reaching " + target, rack);
                kill(rack);
                storedAtKill.add(count(jsm, OUT_STREAM));
                rack = startRack(processes, rackData, RACK, patch);
            }
            for (Thread t : producers) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            await(() -> count(jsm, OUT_STREAM) >= TOTAL && settled(jsm, IN_STREAM, IN_CONSUMER, TOTAL), Duration.ofSeconds(60),
                    "every kill.in message handled and acknowledged", rack);
            ConsumerInfo in = jsm.getConsumerInfo(IN_STREAM, IN_CONSUMER);
            Fluxrig.terminated(rack, Duration.ofSeconds(30));

            long stored = readOut(jsm, OUT_STREAM, checker, new java.util.TreeMap<>());
            Map<String, WireOutChecker.Counts> counts = checker.check();
            System.out.printf("wire rack kill: %d messages from %s in %.1f s; kill.out at the kills %s; kill.in consumer"
                    + " deliveries %d (%d more than messages: redeliveries after the kills); publish retries by the producers %d;"
                    + " kill.out holds %d%n", TOTAL, PRODUCERS, (System.nanoTime() - t0) / 1e9, storedAtKill,
                    in.getDelivered().getConsumerSequence(), in.getDelivered().getConsumerSequence() - TOTAL,
                    publishFailures.get(), stored);
            counts.forEach((p, n) -> System.out.println("wire rack kill checker " + p + ": " + n));

            assertEquals(PRODUCERS, List.copyOf(counts.keySet()));
            for (String p : PRODUCERS) {
                WireOutChecker.Counts n = counts.get(p);
                assertEquals(PER_PRODUCER, n.acked(), p + ": every publish acknowledged: " + n);
                assertEquals(List.of(), n.lost(), p + ": lost: " + n);
                assertEquals(List.of(), n.otherId(), p + ": a repeat must be the same fluxMsg (a redelivery): " + n);
                // The rack republishes a redelivered message with the same Nats-Msg-Id (id/hop), so
                // within the 2 min duplicate window the stream keeps it once.
                assertEquals(List.of(), n.duplicated(), p + ": republished redeliveries are deduplicated: " + n);
            }
            for (long s : storedAtKill) {
                assertTrue(s > 0 && s < TOTAL, "each kill happened mid-stream: kill.out held " + storedAtKill);
            }
        } finally {
            producers.forEach(Thread::interrupt);
            if (rack != null) {
                processes.close();
            }
            producer.deactivate();
            nats.close();
        }
    }

    /** Paced at about 330 messages per second per producer, so the stream spans the first kill and restart. */
    static void produce(JetStreamWireTransport t, String wire, String producer, long count, WireOutChecker checker, AtomicInteger failures) {
        long start = System.nanoTime();
        for (long seq = 0; seq < count; seq++) {
            FluxMsg m = FluxMsg.builder().src(producer).data("producer", producer).data("seq", seq).build();
            try {
                long wait = start + seq * 3_000_000L - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                while (true) {
                    try {
                        t.publish(wire, m).toCompletableFuture().get(10, TimeUnit.SECONDS);
                        checker.acked(producer, seq, m.id());
                        break;
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        failures.incrementAndGet(); // the same message again: the same Nats-Msg-Id
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Every message of an output stream, in stream order, into the checker, counted by the rack of its
     * last hop (the rack that handled it) in {@code byRack}; returns how many the stream holds.
     */
    static long readOut(JetStreamManagement jsm, String stream, WireOutChecker checker, Map<String, Integer> byRack) throws Exception {
        FluxMsgCbor cbor = FluxMsgCbor.standard();
        long last = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
        long n = 0;
        for (long seq = 1; seq <= last; seq++) {
            MessageInfo mi = jsm.getMessage(stream, seq);
            FluxMsg m = cbor.decode(mi.getData());
            checker.stored((String) m.data().get("producer"), ((Number) m.data().get("seq")).longValue(), m.id(),
                    Integer.parseInt(m.meta().getOrDefault(WireDelivery.META_DELIVERY_COUNT, "1")));
            byRack.merge(m.path().isEmpty() ? "?" : m.path().get(m.path().size() - 1).rack(), 1, Integer::sum);
            n++;
        }
        return n;
    }

    /** @return the input stream holds {@code total} and its consumer has nothing pending or unacknowledged */
    static boolean settled(JetStreamManagement jsm, String stream, String consumer, long total) {
        try {
            ConsumerInfo ci = jsm.getConsumerInfo(stream, consumer);
            return ci.getNumPending() == 0 && ci.getNumAckPending() == 0 && count(jsm, stream) == total;
        } catch (IOException | JetStreamApiException e) {
            return false;
        }
    }

    static long count(JetStreamManagement jsm, String stream) {
        try {
            return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (IOException | JetStreamApiException e) {
            return 0; // not created yet
        }
    }

    /**
     * A rack's data folder whose wire transport reaches the test's server with the rack credential and
     * an ack wait of 2 s, so the deliveries in flight at a kill come back within the test's time.
     */
    static Path rackFolder(Path data, NatsServer nats, String name) throws IOException {
        Files.createDirectories(data.resolve("gears"));
        Files.writeString(data.resolve("gears/fluxrig.wire.jetstream.cfg"), "servers=" + nats.url() + "\ncredentials.file="
                + nats.creds(Role.RACK) + "\ntls.ca.file=" + nats.caFile() + "\nconnection.name=" + name + "\ndefault.ack.wait.ms=2000\n");
        return data;
    }

    /** Starts rack {@code name} on its data folder and patch and waits (up to 90 s) for its readiness file. */
    static Child startRack(Supervisor processes, Path data, String name, Path patch) throws Exception {
        Files.deleteIfExists(data.resolve("rack.ready"));
        Child rack = Fluxrig.start(processes, Map.of("FLUXRIG_JAVA_OPTS", "-Dfelix.fileinstall.enableConfigSave=false"), "rack",
                "--name", name, "--data", data.toString(), "--patch", patch.toString(), "--console-port",
                Integer.toString(Fluxrig.freePort()));
        rack.awaitReady(Readiness.file(data.resolve("rack.ready")), Duration.ofSeconds(90));
        return rack;
    }

    /** SIGKILL to the rack's JVM (kill -9), after checking the process is {@code java}, not the launcher shell. */
    static void kill(Child rack) throws Exception {
        String command = rack.process().toHandle().info().command().orElse("?");
        if (!command.endsWith("/java")) {
            throw new AssertionError("process " + rack.pid() + " is " + command + ", not the rack's java");
        }
        assertEquals(137, rack.kill(), "rack " + rack.pid() + " ended by SIGKILL (128 + 9)");
    }

    /** {@link Await#until}, with the rack's output added to a timeout's message. */
    static void await(BooleanSupplier condition, Duration timeout, String what, Child rack) throws InterruptedException {
        try {
            Await.until(what, condition, timeout);
        } catch (AssertionError timedOut) {
            throw new AssertionError(timedOut.getMessage() + "; rack output:\n" + rack.output(), timedOut);
        }
    }

    /** The transport's configuration (the annotation's defaults) pointing at this test's server. */
    static JetStreamConfig config(String url, Path creds, Path ca) {
        Map<String, Object> overrides = Map.of("connection_name", "kill-producers");
        return (JetStreamConfig) Proxy.newProxyInstance(JetStreamConfig.class.getClassLoader(), new Class<?>[] {JetStreamConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "servers" -> new String[] {url};
                    case "credentials_file" -> creds.toString();
                    case "tls_ca_file" -> ca.toString();
                    case "annotationType" -> JetStreamConfig.class;
                    case "toString" -> "test config";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> overrides.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }
}
