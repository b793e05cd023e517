package io.fluxrig.cli.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fluxrig.cli.Console;
import io.fluxrig.cli.Main;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.testsupport.FreshClusterStreams;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fluxrig nats --cluster 3} for real: three nats-server processes, then stopped. */
class NatsCommandTest {
    @TempDir
    Path dir;

    @Test
    void clusterOfThreeIsReadyPrintsItsUrlsAndStopsEveryServer() throws Exception {
        int base = freeBase(3);
        CountDownLatch stop = new CountDownLatch(1);
        Lines out = new Lines();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> code = runner.submit(() -> commandLine(new NatsCommand(stop), console).execute(
                    "--cluster", "3", "--data", dir.toString(), "--port", Integer.toString(base),
                    "--cluster-port", Integer.toString(base + 3), "--monitor-port", Integer.toString(base + 6), "--json"));
            String line = out.lines.poll(90, TimeUnit.SECONDS);
            assertNotNull(line, "no ready line; stderr: " + err);
            Ready ready = Ready.parse(line);
            assertEquals(List.of(url(base), url(base + 1), url(base + 2)), ready.urls);
            assertEquals(3, ready.pids.size());
            assertTrue(Set.of("n1", "n2", "n3").contains(ready.metaLeader), line);
            for (String n : List.of("n1", "n2", "n3")) {
                assertTrue(Files.isDirectory(dir.resolve(n).resolve("jetstream")), "store of " + n);
            }
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("meta leader " + ready.metaLeader), err.toString());

            assertEquals(dir.resolve("tls").resolve("ca.crt").toString(), ready.ca, "the CA clients trust");
            try (Connection c = Nats.connect(new Options.Builder().servers(ready.urls.toArray(new String[0])).sslContext(tls())
                    .authHandler(new CredsAuthHandler(dir.resolve("creds").resolve("admin.creds"))).build())) {
                JetStreamManagement jsm = c.jetStreamManagement();
                StreamConfiguration dev = StreamConfiguration.builder().name("DEV").subjects("dev").storageType(StorageType.File)
                        .replicas(3).build();
                // Ready means a meta leader exists; each server may still be loading the account
                // from its resolver, as a wire's provisioner would see and retry on 10049 only.
                FreshClusterStreams.add(jsm, dev);
                c.jetStream().publish("dev", "x".getBytes(StandardCharsets.UTF_8));
                StreamInfo info = jsm.getStreamInfo("DEV");
                Set<String> placed = new HashSet<>();
                placed.add(info.getClusterInfo().getLeader());
                info.getClusterInfo().getReplicas().forEach(r -> placed.add(r.getName()));
                assertEquals(Set.of("n1", "n2", "n3"), placed, "an R3 stream spans the three servers");
            }

            stop.countDown();
            assertEquals(0, code.get(60, TimeUnit.SECONDS), "stderr: " + err);
            for (long pid : ready.pids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "server " + pid + " stopped");
            }
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("stopped 3 server(s)"), err.toString());
        } finally {
            stop.countDown();
            runner.shutdownNow();
            runner.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void oneServerIsAPlainJetStreamServer() throws Exception {
        int base = freeBase(1);
        CountDownLatch stop = new CountDownLatch(1);
        Lines out = new Lines();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> code = runner.submit(() -> commandLine(new NatsCommand(stop), console).execute(
                    "--data", dir.toString(), "--port", Integer.toString(base), "--cluster-port", Integer.toString(base + 1),
                    "--monitor-port", Integer.toString(base + 2)));
            String line = out.lines.poll(60, TimeUnit.SECONDS);
            assertEquals(url(base), line, "stderr: " + err);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("authentication required"), err.toString());
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("TLS required on 127.0.0.1 (clients trust the CA "
                    + dir.resolve("tls").resolve("ca.crt")), err.toString());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("tls").resolve("ca.key"))), "the CA key is the owner's only");
            java.io.IOException anonymous = assertThrows(java.io.IOException.class, () -> Nats.connect(new Options.Builder()
                    .server(line).sslContext(tls()).noReconnect().errorListener(new io.nats.client.ErrorListener() { }).build()));
            assertTrue(anonymous.getMessage().toLowerCase(java.util.Locale.ROOT).contains("authorization"), anonymous.getMessage());
            io.fluxrig.nats.trust.jnats.ConnectErrors errors = new io.fluxrig.nats.trust.jnats.ConnectErrors();
            String plain = "nats://127.0.0.1:" + base;
            java.io.IOException plaintext = assertThrows(java.io.IOException.class, () -> Nats.connect(new Options.Builder()
                    .server(plain).authHandler(new CredsAuthHandler(dir.resolve("creds").resolve("admin.creds")))
                    .noReconnect().errorListener(errors).build()));
            assertTrue(errors.explain(List.of(plain), plaintext).getMessage().contains("the server requires TLS"),
                    errors.explain(List.of(plain), plaintext).getMessage());
            try (Connection c = Nats.connect(new Options.Builder().server(line).sslContext(tls())
                    .authHandler(new CredsAuthHandler(dir.resolve("creds").resolve("admin.creds"))).build())) {
                c.jetStreamManagement().addStream(StreamConfiguration.builder().name("ONE").subjects("one")
                        .storageType(StorageType.File).build());
                assertEquals(1, c.jetStream().publish("one", "x".getBytes(StandardCharsets.UTF_8)).getSeqno());
            }
            stop.countDown();
            assertEquals(0, code.get(60, TimeUnit.SECONDS), "stderr: " + err);
        } finally {
            stop.countDown();
            runner.shutdownNow();
            runner.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTakenPortEndsTheRunWithTheServersReason() throws Exception {
        int base = freeBase(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ServerSocket squatter = new ServerSocket(base + 1, 1, InetAddress.getLoopbackAddress())) {
            int code = Main.run(new String[] {"nats", "--cluster", "3", "--data", dir.toString(), "--port", Integer.toString(base),
                    "--cluster-port", Integer.toString(base + 3), "--monitor-port", Integer.toString(base + 6)},
                    new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(1, code);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("fluxrig nats: not started: nats-server on port " + (base + 1) + " exited")
                && text.contains("address already in use"), text);
        assertEquals(0, out.size(), "no URL list for a cluster that did not start");
    }

    @Test
    void twoServersAreRefusedWithTheReasonAndHelpListsTheOptions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"nats", "--cluster", "2", "--data", dir.toString()}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--cluster 2: use 1 (one server) or 3 to 7"), err.toString());
        assertEquals(0, out.size(), "nothing on stdout");

        ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"nats", "--help"}, new ByteArrayInputStream(new byte[0]), new PrintStream(help, true),
                new PrintStream(new ByteArrayOutputStream())));
        String text = help.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--cluster", "--data", "--port", "--cluster-port", "--monitor-port", "--cluster-name", "--json")) {
            assertTrue(text.contains(option), option + " in " + text);
        }
    }

    /** The command in-process, writing to the console's streams (as the CLI runs it). */
    private static CommandLine commandLine(NatsCommand command, Console console) {
        return new CommandLine(command).setOut(new PrintWriter(console.out(), true)).setErr(new PrintWriter(console.err(), true));
    }

    private static String url(int port) {
        return "tls://127.0.0.1:" + port;
    }

    /** A base port with base..base+3n-1 all free on 127.0.0.1 just now. */
    private static int freeBase(int nodes) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(30000, 60000);
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int p = base; p < base + 3 * nodes; p++) {
                    held.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
                }
                return base;
            } catch (IOException taken) {
                // try another base
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new IOException("no 9 consecutive free ports found");
    }

    /** @return a client context trusting the CA the command keeps in DATA/tls (as every fluxrig NATS client builds it) */
    private javax.net.ssl.SSLContext tls() throws Exception {
        return io.fluxrig.snake.api.tls.TlsContexts.verifyingServer(
                io.fluxrig.snake.api.tls.Pem.readCertificate(dir.resolve("tls").resolve("ca.crt")), "a NATS server");
    }

    /** The --json line: urls, metaLeader, ca, nodes[].pid. */
    private record Ready(List<String> urls, String metaLeader, String ca, List<Long> pids) {
        static Ready parse(String json) throws IOException {
            List<String> urls = new ArrayList<>();
            List<Long> pids = new ArrayList<>();
            String leader = null;
            String ca = null;
            try (JsonParser p = new JsonFactory().createParser(json)) {
                String field = null;
                for (JsonToken t; (t = p.nextToken()) != null; ) {
                    if (t == JsonToken.FIELD_NAME) {
                        field = p.currentName();
                    } else if (t == JsonToken.VALUE_STRING && "urls".equals(field)) {
                        urls.add(p.getText());
                    } else if (t == JsonToken.VALUE_STRING && "metaLeader".equals(field)) {
                        leader = p.getText();
                    } else if (t == JsonToken.VALUE_STRING && "ca".equals(field)) {
                        ca = p.getText();
                    } else if (t == JsonToken.VALUE_NUMBER_INT && "pid".equals(field)) {
                        pids.add(p.getLongValue());
                    }
                }
            }
            return new Ready(urls, leader, ca, pids);
        }
    }

    /** Standard output split into lines, handed to the test thread as they are written. */
    private static final class Lines extends OutputStream {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            } else {
                current.write(b);
            }
        }
    }
}
