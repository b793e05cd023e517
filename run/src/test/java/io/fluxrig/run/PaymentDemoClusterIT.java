package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run/fluxrig demo --cluster 3 --cores 2 --edges 2} with real processes: three nats-servers in
 * one JetStream cluster (TLS from the demo's NATS CA), the issuer, the Mixer and racks edge, edge2,
 * core and core2. Every request of both edges' terminals is answered on its own connection; both cores
 * read auth.requests through its one durable consumer (the core patch's group) and each handled some
 * (their counts from their metrics, in {@code cores.json}); the wires the
 * racks created (both edges' reply wires) and the Mixer's registry bucket are R3 with two followers
 * (asked of the kept cluster over TLS); {@code --stop} leaves nothing running.
 *
 * <p>Not part of {@code run/fluxrig test}: it took 131 s on the shared 2-core machine (load average
 * 25), over the CI budget for one test. Run it with {@code -Dfluxrig.it.cluster=true} (see
 * bench/README.md, "Fault runs on a NATS cluster").
 */
@EnabledIfSystemProperty(named = "fluxrig.it.cluster", matches = "true")
class PaymentDemoClusterIT {
    static final int COUNT = 1000;

    @TempDir
    Path data;

    @Test
    void theDemoRunsOnAThreeNodeClusterWithTwoCoresTwoEdgesAndR3WiresAndLosesNothing() throws Exception {
        int base = freeBase();
        // A steady 50 TPS: the terminals' 5 s timeout is not a CPU benchmark on a shared machine.
        List<String> args = List.of("demo", "--cluster", "3", "--cores", "2", "--edges", "2", "--keep", "--count", Integer.toString(COUNT), "--connections",
                "20", "--rate", "50", "--base-port", Integer.toString(base), "--data", data.toString());
        Supervisor.Result run = Fluxrig.run(new byte[0], Duration.ofMinutes(8), args.toArray(String[]::new));
        String all = run.out() + "\n" + run.stderr();
        try {
            assertEquals(0, run.exit(), all);
            assertTrue(run.stderr().contains("a NATS JetStream cluster of 3 (client ports " + (base + 10) + ".." + (base + 12)), all);
            assertTrue(run.out().contains("edge edge:\n") && run.out().contains("edge edge2:\n"), "one summary per edge: " + all);
            int total = run.out().indexOf("all 2 edges:\n");
            assertTrue(total > 0, all);
            Matcher m = PaymentDemoIT.SUMMARY.matcher(run.out().substring(total));
            assertTrue(m.find(), all);
            assertEquals(COUNT, Long.parseLong(m.group(1)), "sent: " + all);
            assertEquals(COUNT, Long.parseLong(m.group(2)), "answered: " + all);
            for (int g = 6; g <= 9; g++) {
                assertEquals(0, Long.parseLong(m.group(g)), "timed-out, mismatched, late, lost must be 0: " + all);
            }
            assertTrue(run.out().contains("demo OK: all " + COUNT + " requests answered"), all);
            JsonNode cores = new ObjectMapper().readTree(data.resolve("cores.json").toFile()).path("cores");
            assertEquals(2, cores.size(), "one count per core: " + cores);
            long firstDeliveries = 0;
            for (JsonNode c : cores) {
                assertTrue(c.path("requests").asLong() > 0, "each core handled requests (the load was shared): " + cores);
                firstDeliveries += c.path("deliveries").asLong() - c.path("redelivered").asLong();
            }
            assertTrue(firstDeliveries >= COUNT, "every request reached a core: " + cores);
            assertTrue(run.out().contains("cores sharing auth.requests"), all);

            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                urls.add("tls://127.0.0.1:" + (base + 10 + i));
            }
            // The wires live in the wires account (the admin tool's), the Mixer's buckets in the Mixer's own account.
            // The nodes require TLS from the demo's NATS CA (client ports; the routes are mutual TLS).
            SSLContext tls = TlsContexts.trusting(Pem.readCertificate(data.resolve("nats/tls/ca.crt")));
            try (Connection wires = connect(urls, data.resolve("nats/creds/admin.creds"), tls);
                    Connection mixer = connect(urls, data.resolve("mixer/nats/mixer.creds"), tls)) {
                assertR3(wires.jetStreamManagement(), "fluxrig.wire.auth.requests");
                assertR3(wires.jetStreamManagement(), "fluxrig.wire.auth.responses.edge");
                assertR3(wires.jetStreamManagement(), "fluxrig.wire.auth.responses.edge2");
                assertR3(mixer.jetStreamManagement(), "$KV.fluxrig_mixer_racks.>");
                JetStreamManagement jsm = wires.jetStreamManagement();
                StreamInfo requests = jsm.getStreamInfo(jsm.getStreamNames("fluxrig.wire.auth.requests").get(0));
                assertEquals(COUNT, requests.getStreamState().getMsgCount(), "every request stored once on the R3 wire");
                assertEquals(List.of("core-issuer-auth_requests"), jsm.getConsumerNames(requests.getConfiguration().getName()),
                        "core and core2 read through the group's one durable consumer");
            }
        } finally {
            Supervisor.Result stop = Fluxrig.run(new byte[0], Duration.ofMinutes(3), "demo", "--stop", "--data", data.toString());
            assertEquals(0, stop.exit(), stop.out() + stop.stderr());
        }
        assertTrue(Files.notExists(data.resolve("pids")), "--stop removed the pid file");
        assertEquals(List.of(), ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).filter(c -> c.contains(data.toString())).toList(),
                "no demo process may be left running");
    }

    private static Connection connect(List<String> urls, Path creds, SSLContext tls) throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().servers(urls.toArray(String[]::new)).sslContext(tls).authHandler(new CredsAuthHandler(creds))
                .connectionName("PaymentDemoClusterIT").errorListener(new ErrorListener() { }).build());
    }

    /** The one stream holding {@code subject} has 3 replicas: a leader and two followers. */
    private static void assertR3(JetStreamManagement jsm, String subject) throws Exception {
        List<String> names = jsm.getStreamNames(subject);
        assertEquals(1, names.size(), "one stream holds " + subject + ": " + names);
        StreamInfo si = jsm.getStreamInfo(names.get(0));
        assertEquals(3, si.getConfiguration().getReplicas(), names.get(0) + " is R3");
        assertEquals(2, si.getClusterInfo().getReplicas().size(), names.get(0) + " has two followers: " + si.getClusterInfo());
    }

    /** A base port P whose demo ports (P..P+6), cluster ports (P+10..P+32), edge2 ports (P+52, P+63) and core2's console (P+74) are all free now. */
    private static int freeBase() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 30000 + ThreadLocalRandom.current().nextInt(20000);
            if (allFree(base, base + 6) && allFree(base + 10, base + 12) && allFree(base + 20, base + 22) && allFree(base + 30, base + 32)
                    && allFree(base + 52, base + 52) && allFree(base + 63, base + 63) && allFree(base + 74, base + 74)) {
                return base;
            }
        }
        throw new IOException("no free block of ports for the demo on a cluster");
    }

    private static boolean allFree(int from, int to) {
        for (int p = from; p <= to; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                assertFalse(s.isClosed());
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
