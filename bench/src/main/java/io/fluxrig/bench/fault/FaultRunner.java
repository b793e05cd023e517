package io.fluxrig.bench.fault;

import io.fluxrig.bench.CleanRun;
import io.fluxrig.bench.KeyValueArgs;
import io.fluxrig.cli.iso.SendFleet;
import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.IsoCodec;
import io.fluxrig.nats.local.cluster.ClusterNode;
import io.fluxrig.nats.local.cluster.LocalNatsCluster;
import io.fluxrig.nats.local.cluster.NodePorts;
import io.fluxrig.nats.local.tls.LocalCa;
import io.fluxrig.nats.local.tls.ServerTls;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.Replica;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fault runs on the payment switch over a three-node JetStream cluster: the demo's topology
 * ({@code run/fluxrig demo --cluster 3 --keep}: terminals → edge → wire {@code auth.requests}
 * (R3) → core → issuer → wire {@code auth.responses.edge} (R3) → edge → terminals) driven at a
 * steady rate by the terminal fleet ({@link SendFleet}, in this JVM), while one fault family at a
 * time hits the stream leader of {@code auth.requests}:
 *
 * <ul>
 *   <li>{@code kill}: SIGKILL of the leader, started again after {@code down} seconds;
 *   <li>{@code pause}: SIGSTOP of the leader for {@code hold} seconds (longer than the election
 *       timeout), then SIGCONT;
 *   <li>{@code partition}: the leader's routes cut for {@code hold} seconds, then healed; made with
 *       a {@link RouteProxy} in front of every node's route port (no root rights needed): the
 *       leader keeps running and keeps its clients, but has no route to either peer;
 *   <li>{@code restart}: SIGKILL of every node at once, all started again after {@code down}
 *       seconds.
 * </ul>
 *
 * <p>Per family it prints what the terminals saw: sent, answered (by code; 96 is the edge's
 * decline when no decision came within 4 s), timed out at the terminal (5 s), never answered,
 * duplicated (a second answer to one request, by terminal, STAN and RRN), mismatched (an answer
 * with another request's fields), late; and how long the cluster took: a new stream leader, and
 * every node back and current. Nothing is asserted: it measures.
 *
 * <p>The demo starts its cluster with direct routes; the runner stops those servers once the demo
 * is up and starts the same nodes (same ports, stores and root of trust) with their routes through
 * the proxies, then owns them until the end, when it stops them and runs {@code demo --stop}.
 *
 * <p>Threading: the main thread drives the faults and the cluster; the load runs on a thread of its
 * own; each proxy has its own threads.
 */
public final class FaultRunner {
    private static final Pattern SERVER_ID = Pattern.compile("\"server_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final String REQUESTS = "fluxrig.wire.auth.requests";
    private static final String RESPONSES = "fluxrig.wire.auth.responses.edge";

    private final Map<String, String> s;
    private final Path root;
    private final Path data;
    private final int base;
    private final List<RouteProxy> proxies = new ArrayList<>();
    private LocalNatsCluster cluster;
    private final Map<String, Connection> perNode = new LinkedHashMap<>();
    private boolean cleaned;
    /** The stream of the edge's reply wire. */
    private String responses;

    private FaultRunner(Map<String, String> settings) {
        this.s = settings;
        this.root = Path.of(settings.getOrDefault("root", ".")).toAbsolutePath().normalize();
        this.data = Path.of(settings.getOrDefault("data", "/tmp/fluxrig-fault")).toAbsolutePath().normalize();
        this.base = Integer.parseInt(settings.getOrDefault("basePort", "27100"));
    }

    /**
     * Settings as {@code key=value}: {@code root} (the repository), {@code data} (the demo's data
     * folder, default /tmp/fluxrig-fault), {@code basePort} (27100: the demo's P..P+6, the nodes'
     * P+10.., P+20.., P+30.., the proxies' P+40..), {@code families} (kill,pause,partition,restart),
     * {@code rate} (TPS, 100), {@code seconds} (load per family, 60), {@code connections} (20),
     * {@code faultAt} (seconds into the load, 15), {@code hold} (pause and partition, 15),
     * {@code down} (kill and restart, 10).
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> settings = KeyValueArgs.parse(args, "settings are key=value, not ");
        FaultRunner r = new FaultRunner(settings);
        CleanRun.run("fault-runner-stop", r::run, r::cleanUp);
    }

    private static void say(String line) {
        System.err.println("fault: " + line);
        System.err.flush();
    }

    private int i(String key, int dflt) {
        return Integer.parseInt(s.getOrDefault(key, Integer.toString(dflt)));
    }

    /** What one family measured. */
    private record Row(String family, String target, SendFleet.Result load, double electS, double readyS, long requestsStored,
            long decisionsStored, String replicas, String loadAvg) {
    }

    private void run() throws Exception {
        List<String> families = List.of(s.getOrDefault("families", "kill,pause,partition,restart").split(","));
        String started = Instant.now().toString();
        startDemo();
        takeOverCluster();
        // One connection per node, each to that node only: a partitioned node answers "no leader"
        // for the stream, so the new leader is asked of the others.
        for (ClusterNode n : cluster.nodes()) {
            Options.Builder ob = new Options.Builder().server(n.url()).sslContext(natsTls()).authHandler(new CredsAuthHandler(data.resolve("nats/creds/admin.creds")))
                    .connectionName("fluxrig-fault-runner").maxReconnects(-1).reconnectWait(Duration.ofMillis(250))
                    .connectionTimeout(Duration.ofSeconds(2)).errorListener(new ErrorListener() { });
            Connection c = Nats.connect(ob.build());
            perNode.put(n.name(), c);
        }
        Jsm jsm = new Jsm(perNode);
        String stream = awaitStream(jsm, REQUESTS);
        responses = awaitStream(jsm, RESPONSES);
        say("stream of auth.requests: " + stream + ", " + replicas(jsm, stream));
        say("warm-up: 500 requests");
        SendFleet.Result warm = load(500, 0);
        say("warm-up: sent " + warm.sent() + " answered " + warm.answered() + " " + warm.byCode());
        List<Row> rows = new ArrayList<>();
        for (String f : families) {
            rows.add(family(f.strip(), jsm, stream));
        }
        String table = table(rows, started);
        System.out.println(table);
        Files.writeString(data.resolveSibling(data.getFileName() + ".md"), table);
    }

    private void startDemo() throws IOException, InterruptedException {
        Files.createDirectories(data.getParent());
        Path log = data.resolveSibling(data.getFileName() + "-demo.log");
        say("starting the demo on a 3-node cluster (run/fluxrig demo --cluster 3 --keep, ports " + base + "..), log " + log);
        Process p = new ProcessBuilder(root.resolve("run/fluxrig").toString(), "demo", "--cluster", "3", "--keep", "--count", "200",
                "--connections", "10", "--base-port", Integer.toString(base), "--data", data.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("the demo did not start (see " + log + ")");
        }
    }

    /** Stops the demo's NATS servers and starts the same nodes with their routes through the proxies. */
    private void takeOverCluster() throws IOException, InterruptedException {
        for (String line : Files.readAllLines(data.resolve("pids"))) {
            String[] f = line.strip().split("\\s+");
            // "<name> <pid> <start instant>" (the demo's Supervisor): a PID is only signalled while the
            // process with it started at the recorded instant, so a reused PID is left alone
            if (f.length == 3 && f[0].startsWith("nats-")) {
                ProcessHandle h = ProcessHandle.of(Long.parseLong(f[1])).orElse(null);
                if (h != null && h.isAlive() && h.info().startInstant().map(Object::toString).filter(f[2]::equals).isPresent()) {
                    h.destroy();
                    try {
                        h.onExit().get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        throw new IOException("the demo's " + f[0] + " did not stop", e);
                    }
                }
            }
        }
        List<NodePorts> ports = NodePorts.consecutive(3, base + 10, base + 20, base + 30);
        List<Integer> via = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            proxies.add(new RouteProxy("n" + (n + 1), base + 40 + n, ports.get(n).cluster()));
            via.add(base + 40 + n);
        }
        NatsTrust trust = NatsTrust.loadOrCreate(data.resolve("nats/trust")); // the demo's root of trust (the Mixer holds a signer only)
        // The demo's NATS CA (what the racks and the Mixer trust) issues the nodes' certificate again: TLS
        // on client ports, mutual TLS on routes, end to end through the proxies (127.0.0.1 is in the name list).
        ServerTls tls = LocalCa.loadOrCreate(data.resolve("nats/tls")).issueServer(data.resolve("nats/tls/server"),
                List.of("127.0.0.1", "localhost"), Duration.ofDays(30));
        cluster = new LocalNatsCluster(data.resolve("nats"), "fluxrig-demo", ports, trust, tls, via);
        say("the demo's cluster again, routes through proxies on " + via);
        cluster.start(LocalNatsCluster.READY_TIMEOUT);
        say("ready, meta leader " + cluster.awaitReady(Duration.ofSeconds(5)) + "; route connections through the proxies: "
                + proxies.stream().map(RouteProxy::open).toList());
    }

    private Row family(String family, Jsm jsm, String stream) throws Exception {
        int rate = i("rate", 100);
        int seconds = i("seconds", 60);
        int faultAt = i("faultAt", 15);
        int hold = i("hold", 15);
        int down = i("down", 10);
        String loadBefore = loadAvg();
        String leader = awaitLeader(jsm, stream, null, Duration.ofSeconds(60));
        long requestsBefore = messages(jsm, stream);
        long decisionsBefore = messages(jsm, responses);
        say(family + ": " + rate + " TPS for " + seconds + " s; the fault at " + faultAt + " s; stream leader " + leader);
        CompletableFuture<SendFleet.Result> sending = CompletableFuture.supplyAsync(() -> {
            try {
                return load((long) rate * seconds, rate);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(faultAt * 1000L); // the fault's place in the load's timeline, not a wait for a condition
        long t0 = System.nanoTime();
        double elect = Double.NaN;
        String target = leader;
        ClusterNode node = cluster.node(leader);
        switch (family) {
            case "kill" -> {
                say("kill -9 " + leader + " (pid " + node.process().pid() + ")");
                node.kill();
                awaitLeader(jsm, stream, leader, Duration.ofSeconds(60));
                elect = secondsSince(t0);
                Thread.sleep(down * 1000L); // how long the node stays down
                node.start();
            }
            case "pause" -> {
                say("SIGSTOP " + leader + " (pid " + node.process().pid() + ") for " + hold + " s");
                node.freeze();
                awaitLeader(jsm, stream, leader, Duration.ofSeconds(60));
                elect = secondsSince(t0);
                Thread.sleep(Math.max(0, hold * 1000L - (long) (elect * 1000))); // the pause's length
                node.unfreeze();
            }
            case "partition" -> {
                String id = serverId(node);
                say("partition: " + leader + " (server id " + id + ") cut from its peers for " + hold + " s");
                for (int n = 0; n < proxies.size(); n++) {
                    proxies.get(n).cut(Set.of(id), Set.of(node.process().pid()), cluster.nodes().get(n).name().equals(leader));
                }
                awaitLeader(jsm, stream, leader, Duration.ofSeconds(60));
                elect = secondsSince(t0);
                Thread.sleep(Math.max(0, hold * 1000L - (long) (elect * 1000))); // the partition's length
                proxies.forEach(RouteProxy::heal);
                say("partition healed");
            }
            case "restart" -> {
                target = "all";
                say("kill -9 every node at once; all started again after " + down + " s");
                for (ClusterNode n : cluster.nodes()) {
                    n.kill();
                }
                Thread.sleep(down * 1000L); // how long the cluster stays down
                for (ClusterNode n : cluster.nodes()) {
                    n.start();
                }
                awaitLeader(jsm, stream, null, Duration.ofSeconds(120));
                elect = secondsSince(t0);
            }
            default -> throw new IllegalArgumentException("unknown family " + family + " (kill, pause, partition, restart)");
        }
        cluster.awaitReady(Duration.ofSeconds(120));
        double ready = secondsSince(t0);
        say(family + ": stream leader after " + String.format(Locale.ROOT, "%.1f", elect) + " s, every node current after "
                + String.format(Locale.ROOT, "%.1f", ready) + " s; waiting for the load to end");
        SendFleet.Result r = sending.get();
        String replicas = replicas(jsm, stream);
        say(family + ": sent " + r.sent() + " answered " + r.answered() + " " + r.byCode() + " timed out " + r.timedOut()
                + " duplicated " + r.duplicated() + " mismatched " + r.mismatched() + "; " + replicas);
        long requests = messages(jsm, stream) - requestsBefore;
        long decisions = messages(jsm, responses) - decisionsBefore;
        say(family + ": stored " + requests + " requests and " + decisions + " decisions for " + r.sent() + " sent");
        return new Row(family, target, r, elect, ready, requests, decisions, replicas, loadBefore + " → " + loadAvg());
    }

    /** JetStream management through each node's own connection. */
    private record Jsm(Map<String, Connection> nodes) {
        /** @return the management API through node {@code name}'s connection */
        JetStreamManagement via(String name) throws IOException {
            return nodes.get(name).jetStreamManagement();
        }

        /** @return the management APIs of every node but {@code not} */
        List<JetStreamManagement> except(String not) throws IOException {
            List<JetStreamManagement> l = new ArrayList<>();
            for (String n : nodes.keySet()) {
                if (!n.equals(not)) {
                    l.add(via(n));
                }
            }
            return l;
        }
    }

    private SendFleet.Result load(long count, double rate) throws IOException, InterruptedException {
        SendFleet.Options o = new SendFleet.Options("127.0.0.1", base + 2, Framing.BINARY2, IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII)),
                count, i("connections", 20), rate, 5000, 1);
        return new SendFleet(o).run();
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String awaitStream(Jsm jsm, String subject) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            for (JetStreamManagement m : jsm.except(null)) {
                try {
                    List<String> names = m.getStreamNames(subject);
                    if (!names.isEmpty()) {
                        return names.get(0);
                    }
                } catch (Exception e) {
                    // the cluster is electing: ask again
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no stream holds " + subject);
            }
            Thread.sleep(200);
        }
    }

    /** Waits until a node other than {@code not} names a stream leader other than {@code not} (null: any node, any leader). */
    private static String awaitLeader(Jsm jsm, String stream, String not, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (JetStreamManagement m : jsm.except(not)) {
                try {
                    ClusterInfo ci = m.getStreamInfo(stream).getClusterInfo();
                    String l = ci == null ? null : ci.getLeader();
                    if (l != null && !l.isEmpty() && !l.equals(not)) {
                        return l;
                    }
                    last = "leader " + l;
                } catch (Exception e) {
                    last = e.getMessage(); // no responders / timeout while the cluster elects
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("stream " + stream + " has no leader other than " + not + " within " + timeout + ": " + last);
    }

    private static String replicas(Jsm jsm, String stream) {
        String last = "";
        for (int attempt = 0; attempt < 20; attempt++) {
            for (String node : jsm.nodes().keySet()) {
                try {
                    StreamInfo si = jsm.via(node).getStreamInfo(stream);
                    ClusterInfo ci = si.getClusterInfo();
                    StringBuilder b = new StringBuilder("R" + si.getConfiguration().getReplicas() + ", leader " + ci.getLeader());
                    for (Replica r : ci.getReplicas() == null ? List.<Replica>of() : ci.getReplicas()) {
                        b.append(", ").append(r.getName()).append(r.isCurrent() ? " current" : " behind").append(r.isOffline() ? " offline" : "");
                    }
                    return b.append(", ").append(si.getStreamState().getMsgCount()).append(" messages").toString();
                } catch (Exception e) {
                    last = e.getMessage();
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "stream info failed: " + last;
    }

    /** @return the messages the stream holds (its streams keep every message: 7 days, no limits), asked of any node that answers */
    private static long messages(Jsm jsm, String stream) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            for (JetStreamManagement m : jsm.except(null)) {
                try {
                    return m.getStreamInfo(stream).getStreamState().getMsgCount();
                } catch (Exception e) {
                    last = e.getMessage();
                }
            }
            Thread.sleep(200);
        }
        throw new IOException("no stream info for " + stream + ": " + last);
    }

    /** The demo's NATS CA as the runner's connections trust it (the servers require TLS). */
    private javax.net.ssl.SSLContext natsTls() throws IOException {
        Path ca = data.resolve("nats/tls").resolve(LocalCa.CERT);
        try {
            return TlsContexts.verifyingServer(Pem.readCertificate(ca), "a NATS server");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("the demo's NATS CA " + ca + ": " + e.getMessage(), e);
        }
    }

    private static String serverId(ClusterNode node) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.ports().monitor() + "/varz"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = SERVER_ID.matcher(r.body());
        if (!m.find()) {
            throw new IOException(node.name() + ": no server_id in /varz");
        }
        return m.group(1);
    }

    private static String loadAvg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private String table(List<Row> rows, String started) {
        StringBuilder b = new StringBuilder();
        b.append("## Fault runs: ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, nats-server 3 nodes, wires R3\n\n");
        b.append(String.format(Locale.ROOT, "%s TPS for %s s per family, %s terminals (window 1, 5 s timeout); the fault %s s into the load. "
                + "Counted at the terminals; stored: messages added to the auth.requests and auth.responses.edge streams during "
                + "the family (each request once, each decision once: the wires' dedupe by Nats-Msg-Id).%n%n", s.getOrDefault("rate", "100"), s.getOrDefault("seconds", "60"),
                s.getOrDefault("connections", "20"), s.getOrDefault("faultAt", "15")));
        b.append("| fault | node | sent | answered | 00 / 05 / 51 | declined 96 | unanswered | duplicated | mismatched | late "
                + "| requests / decisions stored | new leader s | all current s | stream after | load avg |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            SendFleet.Result l = r.load();
            Map<String, Long> c = l.byCode();
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d / %d / %d | %d | %d | %d | %d | %d | %d / %d | %.1f | %.1f | %s | %s |%n",
                    r.family(), r.target(), l.sent(), l.answered(), c.getOrDefault("00", 0L), c.getOrDefault("05", 0L),
                    c.getOrDefault("51", 0L), c.getOrDefault("96", 0L), l.sent() - l.answered(), l.duplicated(), l.mismatched(),
                    l.late(), r.requestsStored(), r.decisionsStored(), r.electS(), r.readyS(), r.replicas(), r.loadAvg()));
        }
        return b.toString();
    }

    /** Stops what the runner owns (proxies, its cluster), then what the demo left ({@code demo --stop}). Once. */
    private synchronized void cleanUp() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        try {
            for (Connection c : perNode.values()) {
                c.close();
            }
            proxies.forEach(RouteProxy::close);
            proxies.clear();
            if (cluster != null) {
                cluster.stop();
                cluster.close();
                cluster = null;
            }
            Process p = new ProcessBuilder(root.resolve("run/fluxrig").toString(), "demo", "--stop", "--data", data.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            say("clean-up: " + e.getMessage());
        }
    }
}
