package io.fluxrig.bench.fault;

import io.fluxrig.bench.CleanRun;
import io.fluxrig.bench.KeyValueArgs;
import io.fluxrig.iso8583.Dialects;
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
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fault runs on the payment switch over a three-node JetStream cluster: the demo's topology
 * ({@code run/fluxrig demo --cluster 3 --cores C --edges E --keep}: terminals → edge → wire
 * {@code auth.requests} (R3) → the cores, sharing its durable consumer → issuer → wire
 * {@code auth.responses.<edge>} (R3) → edge → terminals) driven at a steady rate by the terminals
 * ({@link TerminalFleet}, in this JVM, which connect again when their edge dies), while one fault
 * at a time hits it:
 *
 * <ul>
 *   <li>{@code kill}: SIGKILL of the stream leader of {@code auth.requests}, started again after
 *       {@code down} seconds;
 *   <li>{@code kill2}: the same, then, once every node is current again, SIGKILL of another node
 *       (the seed picks which of the other two), started again after {@code down} seconds;
 *   <li>{@code pause}: SIGSTOP of the leader for {@code hold} seconds (longer than the election
 *       timeout), then SIGCONT;
 *   <li>{@code partition}: the leader's routes cut for {@code hold} seconds, then healed; made with
 *       a {@link RouteProxy} in front of every node's route port (no root rights needed): the
 *       leader keeps running and keeps its clients, but has no route to either peer;
 *   <li>{@code restart}: SIGKILL of every node at once, all started again after {@code down} seconds;
 *   <li>{@code core}: SIGKILL of one core rack (the seed picks which) while the others share the
 *       consumer, started again after {@code down} seconds ({@link DemoRacks});
 *   <li>{@code edge}: SIGKILL of an edge rack (the seed picks which), started again after
 *       {@code down} seconds; its terminals connect again.
 * </ul>
 *
 * <p>Each family runs {@code seeds} times ({@link FaultSchedule}: the seed moves the fault within
 * {@code faultAt ± jitter} and picks the target where there is a choice). Per trial it counts
 * what the terminals saw, what the issuer decided ({@link IssuerLedger}) and what the wires stored
 * ({@link FaultChecker} has the definitions: lost, cut, not sent, decided twice), and how long the
 * cluster or the rack took to recover; it prints one table ({@link FaultTable}). Nothing is
 * asserted: it measures.
 *
 * <p>The demo starts its cluster with direct routes; the runner stops those servers once the demo
 * is up and starts the same nodes (same ports, stores and root of trust) with their routes through
 * the proxies, then owns them until the end, when it stops them and runs {@code demo --stop} (which
 * also stops the racks the runner started again: they are recorded in the demo's pid file).
 *
 * <p>Threading: the main thread drives the faults and the cluster; the load runs on a thread of its
 * own; each proxy has its own threads.
 */
public final class FaultRunner {
    private static final String REQUESTS = "fluxrig.wire.auth.requests";
    private static final String RESPONSES = "fluxrig.wire.auth.responses.";
    /** The first request number of the runner's terminals: above what the demo's own check sends. */
    private static final long FIRST_SEQ = 100_000;
    /** Lost requests whose issuer decisions are asked one by one, at most, per trial. */
    private static final int ASK_LOST = 500;

    private final Map<String, String> s;
    private final Path root;
    private final Path data;
    private final int base;
    private final List<RouteProxy> proxies = new ArrayList<>();
    private LocalNatsCluster cluster;
    private final Map<String, Connection> perNode = new LinkedHashMap<>();
    private boolean cleaned;
    /** The streams of the edges' reply wires. */
    private final List<String> responses = new ArrayList<>();
    private Faults faults;
    private IssuerLedger issuer;
    /** The next load's first request number (each load its own numbers: the issuer counts per terminal, STAN, RRN). */
    private long nextSeq = FIRST_SEQ;

    private FaultRunner(Map<String, String> settings) {
        this.s = settings;
        this.root = Path.of(settings.getOrDefault("root", ".")).toAbsolutePath().normalize();
        this.data = Path.of(settings.getOrDefault("data", "/tmp/fluxrig-fault")).toAbsolutePath().normalize();
        this.base = Integer.parseInt(settings.getOrDefault("basePort", "27100"));
    }

    /**
     * Settings as {@code key=value}: {@code root} (the repository), {@code data} (the demo's data
     * folder, default /tmp/fluxrig-fault), {@code basePort} (27100: the demo's P..P+6, the nodes'
     * P+10.., P+20.., P+30.., the proxies' P+40.., edges 2.. on P+52.. and P+63.., cores 2.. on P+74..),
     * {@code families} (kill,kill2,pause,partition,restart,core,edge), {@code seeds} (rounds per
     * family, 1), {@code seed} (the first round's seed, 1), {@code rate} (TPS, 100), {@code seconds}
     * (load per trial, 60), {@code connections} (20), {@code faultAt} (seconds into the load, 15),
     * {@code jitter} (the seed moves the fault up to this many seconds either way, 5), {@code hold}
     * (pause and partition, 15), {@code down} (kill, kill2, restart, core, edge: 10), {@code cores}
     * (core racks, 2), {@code edges} (edge racks, 1).
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

    private List<String> coreNames() {
        List<String> l = new ArrayList<>(List.of("core"));
        for (int k = 2; k <= i("cores", 2); k++) {
            l.add("core" + k);
        }
        return l;
    }

    private List<String> edgeNames() {
        List<String> l = new ArrayList<>(List.of("edge"));
        for (int k = 2; k <= i("edges", 1); k++) {
            l.add("edge" + k);
        }
        return l;
    }

    /** @return edge k's terminal port: the demo's ISO port for {@code edge}, ISO+50+k-2 for edge k (k >= 2) */
    private int isoPort(String edge) {
        return edge.equals("edge") ? base + 2 : base + 2 + 50 + Integer.parseInt(edge.substring(4)) - 2;
    }

    private void run() throws Exception {
        List<String> families = Arrays.stream(s.getOrDefault("families", String.join(",", FaultSchedule.FAMILIES)).split(","))
                .map(String::strip).toList();
        List<FaultSchedule.Trial> plan = FaultSchedule.plan(families, i("seeds", 1), Long.parseLong(s.getOrDefault("seed", "1")),
                i("faultAt", 15), i("jitter", 5), i("seconds", 60));
        if (families.contains("core") && i("cores", 2) < 2) {
            throw new IllegalArgumentException("family core needs cores=2 or more (one core is killed while the others share the consumer)");
        }
        String started = Instant.now().toString();
        startDemo();
        takeOverCluster();
        for (ClusterNode n : cluster.nodes()) {
            Options.Builder ob = new Options.Builder().server(n.url()).sslContext(natsTls()).authHandler(new CredsAuthHandler(data.resolve("nats/creds/admin.creds")))
                    .connectionName("fluxrig-fault-runner").maxReconnects(-1).reconnectWait(Duration.ofMillis(250))
                    .connectionTimeout(Duration.ofSeconds(2)).errorListener(new ErrorListener() { });
            perNode.put(n.name(), Nats.connect(ob.build()));
        }
        ClusterView view = new ClusterView(perNode);
        String stream = view.awaitStream(REQUESTS);
        for (String e : edgeNames()) {
            responses.add(view.awaitStream(RESPONSES + e));
        }
        faults = new Faults(cluster, proxies, view, stream, new DemoRacks(root, data, FaultRunner::say), coreNames(), edgeNames(),
                this::isoPort, i("hold", 15), i("down", 10), FaultRunner::say);
        issuer = new IssuerLedger(base + 1);
        say("stream of auth.requests: " + stream + ", " + view.replicas(stream) + "; cores " + coreNames() + ", edges " + edgeNames());
        say("warm-up: 500 requests");
        FaultChecker.Tally warm = FaultChecker.tally(load(500, 0).requests(), 0, Map.of(), Map.of());
        say("warm-up: sent " + warm.sent() + " answered " + warm.answered() + " " + warm.byCode());
        List<FaultTable.Row> rows = new ArrayList<>();
        for (FaultSchedule.Trial t : plan) {
            rows.add(trial(t, view, stream));
            Files.writeString(data.resolveSibling(data.getFileName() + ".md"), table(rows, started)); // each row as soon as it is known
        }
        String table = table(rows, started);
        System.out.println(table);
        Files.writeString(data.resolveSibling(data.getFileName() + ".md"), table);
    }

    private FaultTable.Row trial(FaultSchedule.Trial t, ClusterView view, String stream) throws Exception {
        int rate = i("rate", 100);
        int seconds = i("seconds", 60);
        String loadBefore = loadAvg();
        String leader = view.awaitLeader(stream, null, Duration.ofSeconds(60));
        long requestsBefore = view.messages(stream);
        long decisionsBefore = decisions(view);
        IssuerLedger.Snapshot issuerBefore = issuer.snapshot();
        say(t.family() + " (seed " + t.seed() + ", round " + t.round() + "): " + rate + " TPS for " + seconds + " s; the fault at "
                + String.format(Locale.ROOT, "%.1f", t.faultAtMs() / 1000.0) + " s; stream leader " + leader);
        CompletableFuture<TerminalFleet.Outcome> sending = CompletableFuture.supplyAsync(() -> {
            try {
                return load((long) rate * seconds, rate);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(t.faultAtMs()); // the fault's place in the load's timeline, not a wait for a condition
        Faults.Hit hit = faults.inject(t, leader);
        say(t.family() + ": stream leader after " + Faults.seconds(hit.electS()) + " s, everything hit back after "
                + Faults.seconds(hit.recoveredS()) + " s; waiting for the load to end");
        TerminalFleet.Outcome out = sending.get();
        IssuerLedger.Snapshot issuerAfter = issuer.snapshot();
        Map<String, Integer> repeated = issuerAfter.repeatedSince(issuerBefore);
        long listed = repeated.values().stream().mapToLong(v -> v - 1).sum();
        if (issuerAfter.repeats() - issuerBefore.repeats() > listed) {
            // the issuer lists the first 1,000 requests it decided twice; its count of repeats is exact
            say(t.family() + ": the issuer made " + (issuerAfter.repeats() - issuerBefore.repeats()) + " repeated decisions, "
                    + listed + " of them listed: decided twice is counted from the listed ones only");
        }
        Map<String, Integer> decidedLost = new HashMap<>();
        int asked = 0;
        for (TerminalFleet.Request r : out.requests()) {
            if ((r.fate() == TerminalFleet.Fate.CUT || r.fate() == TerminalFleet.Fate.TIMED_OUT) && asked++ < ASK_LOST) {
                decidedLost.put(r.key(), issuer.times(r.key()));
            }
        }
        FaultChecker.Tally tally = FaultChecker.tally(out.requests(), out.strayFrames(), repeated, decidedLost);
        String after = view.replicas(stream);
        long requests = view.messages(stream) - requestsBefore;
        long decisions = decisions(view) - decisionsBefore;
        say(t.family() + ": " + tally + "; " + out.reconnects() + " reconnects; stored " + requests + " requests and " + decisions
                + " decisions; " + after + (asked > ASK_LOST ? "; the issuer was asked about the first " + ASK_LOST + " lost only" : ""));
        return new FaultTable.Row(t, hit.target(), tally, out.reconnects(), requests, decisions, hit.electS(), hit.recoveredS(), after,
                loadBefore + " → " + loadAvg());
    }

    /** @return the decisions the edges' reply wires hold */
    private long decisions(ClusterView view) throws IOException, InterruptedException {
        long n = 0;
        for (String r : responses) {
            n += view.messages(r);
        }
        return n;
    }

    private TerminalFleet.Outcome load(long count, double rate) throws InterruptedException {
        int connections = i("connections", 20);
        TerminalFleet.Options o = new TerminalFleet.Options(edgeNames().stream().map(this::isoPort).toList(), count, connections, rate, 5000,
                nextSeq);
        nextSeq += count / connections + 1;
        return new TerminalFleet(o, IsoCodec.of(Dialects.builtIn(Dialects.ISO87ASCII))).run();
    }

    private String table(List<FaultTable.Row> rows, String started) {
        return "## Fault runs: " + started + ", " + Runtime.getRuntime().availableProcessors() + " cores, nats-server 3 nodes, wires R3, "
                + coreNames().size() + " cores, " + edgeNames().size() + " edge(s)\n\n"
                + String.format(Locale.ROOT, "%s TPS for %s s per trial, %s terminals (one request outstanding, 5 s timeout, connecting "
                        + "again when their edge dies); the fault at %s ± %s s (the seed's), down %s s, hold %s s. Lost: sent and never "
                        + "answered (cut: its connection closed first; decided: the issuer decided it). Not sent: due while the terminal had "
                        + "no connection. Decided twice: requests the issuer decided more than once (answered once: the terminal got one "
                        + "answer). Stored: messages added to auth.requests and the reply wires during the trial.%n%n",
                        s.getOrDefault("rate", "100"), s.getOrDefault("seconds", "60"), s.getOrDefault("connections", "20"),
                        s.getOrDefault("faultAt", "15"), s.getOrDefault("jitter", "5"), s.getOrDefault("down", "10"), s.getOrDefault("hold", "15"))
                + FaultTable.render(rows);
    }

    private void startDemo() throws IOException, InterruptedException {
        Files.createDirectories(data.getParent());
        Path log = data.resolveSibling(data.getFileName() + "-demo.log");
        String cores = Integer.toString(i("cores", 2));
        String edges = Integer.toString(i("edges", 1));
        say("starting the demo on a 3-node cluster (run/fluxrig demo --cluster 3 --cores " + cores + " --edges " + edges + " --keep, ports "
                + base + "..), log " + log);
        Process p = new ProcessBuilder(root.resolve("run/fluxrig").toString(), "demo", "--cluster", "3", "--cores", cores, "--edges", edges,
                "--keep", "--count", "200", "--connections", "10", "--base-port", Integer.toString(base), "--data", data.toString())
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

    /** The demo's NATS CA as the runner's connections trust it (the servers require TLS). */
    private javax.net.ssl.SSLContext natsTls() throws IOException {
        Path ca = data.resolve("nats/tls").resolve(LocalCa.CERT);
        try {
            return TlsContexts.verifyingServer(Pem.readCertificate(ca), "a NATS server");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("the demo's NATS CA " + ca + ": " + e.getMessage(), e);
        }
    }

    private static String loadAvg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0];
        } catch (IOException e) {
            return "?";
        }
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
