package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consuming rack is a separate JVM ({@link WireConsumerProcess}: the real transport, a
 * durable consumer, 16 deliveries in flight, each recorded in an append-only file before its
 * ack). Two producers publish in this JVM while the consumer is killed with SIGKILL twice
 * mid-stream and restarted. The checker ({@link WireHistory}) must find no acknowledged message
 * lost and no message stored twice; a message handled twice must be a redelivery of the same
 * fluxMsg (same id, delivery count above 1), which idempotent handling by id absorbs.
 */
class RackKillFaultTest {
    private static final int PER_PRODUCER = 2000;
    private static final String WIRE = "kills";
    private static final String STREAM = "KILLS";

    @TempDir
    Path dir;

    @Test
    void nothingAcknowledgedIsLostWhenTheConsumingRackIsKilledMidStream() throws Exception {
        Path file = dir.resolve("handled.log");
        try (NatsServer server = NatsServer.started()) {
            JetStreamWireTransport publisher = new JetStreamWireTransport(Wires.settings(server));
            WireHistory history = new WireHistory();
            List<Long> linesAtKill = new ArrayList<>();
            Process consumer = null;
            try {
                publisher.addStream(WireConsumerProcess.spec(STREAM, WIRE));
                consumer = startConsumer(server.url(), server.creds(), server.caFile(), file, 1);
                RetryingProducers producers = RetryingProducers.start(publisher, WIRE, List.of("p1", "p2"), PER_PRODUCER,
                        Duration.ofSeconds(10), Duration.ZERO, history);
                for (int incarnation = 2; incarnation <= 3; incarnation++) {
                    long target = (incarnation - 1) * PER_PRODUCER * 2L / 3;
                    Await.until("the consumer handled the target count", () -> lines(file) >= target, Duration.ofMillis(60_000));
                    consumer.destroyForcibly(); // SIGKILL
                    consumer.waitFor(10, TimeUnit.SECONDS);
                    linesAtKill.add(lines(file));
                    consumer = startConsumer(server.url(), server.creds(), server.caFile(), file, incarnation);
                }
                producers.join(Duration.ofSeconds(120));
                Await.until("every message handled", () -> distinct(file) >= 2 * PER_PRODUCER, Duration.ofMillis(60_000));
                consumer.destroyForcibly();
                consumer.waitFor(10, TimeUnit.SECONDS);

                Map<String, String> idOf = new HashMap<>();
                int sameIdRepeats = 0;
                int inFlightAtKill = 0;
                String phase = "1";
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.split(" ");
                    if (!f[0].equals(phase)) {
                        phase = f[0];
                        history.phase("after kill " + (Integer.parseInt(phase) - 1));
                    }
                    history.delivered(f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]));
                    String before = idOf.putIfAbsent(f[1] + ":" + f[2], f[4]);
                    if (before != null) {
                        assertEquals(before, f[4], "a repeat of " + f[1] + ":" + f[2] + " is the same fluxMsg");
                        sameIdRepeats++;
                    } else if (Integer.parseInt(f[3]) > 1) {
                        inFlightAtKill++;
                    }
                }
                WireHistory.Result r = history.check();
                long stored;
                try (io.nats.client.Connection c = server.connect()) {
                    stored = c.jetStreamManagement().getStreamInfo(STREAM).getStreamState().getMsgCount();
                }
                System.out.printf("rack kill fault test: %s; handled twice (same id) %d, first handled on a redelivery %d,"
                        + " lines at the kills %s, publish failures %d, stream holds %d%n", r, sameIdRepeats, inFlightAtKill,
                        linesAtKill, producers.failures(), stored);
                assertEquals(2 * PER_PRODUCER, r.acked(), "every message was eventually acknowledged to its producer");
                assertTrue(r.lost().isEmpty(), "lost: " + r);
                assertTrue(r.duplicated().isEmpty(), "a repeat must be a redelivery (count > 1), not a second first delivery: " + r);
                assertEquals(2 * PER_PRODUCER, stored, "no message stored twice");
                assertEquals(2 * PER_PRODUCER, idOf.size());
                assertTrue(linesAtKill.get(1) < 2L * PER_PRODUCER, "the second kill happened mid-stream: " + linesAtKill);
            } finally {
                if (consumer != null) {
                    consumer.destroyForcibly();
                }
                publisher.deactivate();
            }
        }
    }

    private static Process startConsumer(String url, Path creds, Path ca, Path file, int incarnation) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path ready = file.resolveSibling("consumer-" + incarnation + ".ready");
        Path log = file.resolveSibling("consumer-" + incarnation + ".log");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                WireConsumerProcess.class.getName(), url, WIRE, STREAM, "rack-b.sink", file.toString(),
                Integer.toString(incarnation), "20", creds.toString(), ready.toString(), ca.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Subscribed once it has created its ready file; a process that ends first fails the wait at once.
        Await.until("consumer " + incarnation + " to be subscribed (" + ready + ")", () -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("consumer process ended before it was ready, exit " + p.exitValue() + "; its output:\n"
                        + readQuietly(log));
            }
            return Files.exists(ready);
        }, Duration.ofSeconds(60));
        return p;
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long distinct(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().map(l -> l.split(" ")).map(f -> f[1] + ":" + f[2])
                    .distinct().count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
