package io.fluxrig.cli.nats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.fluxrig.nats.local.cluster.ClusterNode;
import io.fluxrig.nats.local.cluster.LocalNatsCluster;
import io.fluxrig.nats.local.cluster.NodePorts;
import io.fluxrig.nats.local.tls.LocalCa;
import io.fluxrig.nats.local.tls.ServerTls;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.Role;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fluxrig nats --cluster N}: a local JetStream cluster (or one server) for development,
 * in the foreground until stopped. The processes and the readiness check are
 * {@link LocalNatsCluster}'s, the same code the tests' {@code NatsCluster} runs.
 *
 * <p>Every server requires authentication (NATS operator mode): the root of trust is kept in
 * {@code DATA/trust} (seeds, 0600) and one creds file per role in {@code DATA/creds} ({@code
 * mixer.creds} for {@code fluxrig mixer --nats-creds}, {@code rack.creds} for a development rack's
 * {@code credentials.file}, {@code reader.creds} for {@code wires}/{@code tail}, {@code
 * admin.creds} for {@code wire replay}). Every server serves TLS on its client port and, in a
 * cluster, its route port (mutual TLS between the servers): a NATS CA of its own is kept in {@code
 * DATA/tls} ({@code ca.crt}, what every client trusts; {@code ca.key} 0600, folder 0700), and a
 * server certificate for 127.0.0.1 and localhost is issued from it at every start ({@code
 * DATA/tls/server}). The CA is not the Mixer's: see {@link LocalCa}.
 *
 * <p>Hand-over: once ready, stdout gets one line, the comma-separated client URL list (what a
 * rack's {@code servers} and the Mixer's {@code --nats} take), or with {@code --json} one JSON
 * object; progress goes to stderr.
 *
 * <p>{@code --help} is the root command's inherited option (this command declares none).
 *
 * <p>Threading: {@link #call()} runs on the caller's thread and blocks until {@code stop} is
 * counted down (by default by a shutdown hook on SIGINT/SIGTERM, which then waits for the servers
 * to stop) or a server dies on its own.
 */
@Command(name = "nats", sortOptions = false,
        description = {"a local NATS JetStream server, or with --cluster N a cluster of N, for development",
                "Runs in the foreground until Ctrl-C (SIGTERM to every server, stores kept).",
                "Node i (0-based) of n1..nN uses client port PORT+i, route port CLUSTER_PORT+i, monitoring port"
                        + " MONITOR_PORT+i, all on 127.0.0.1, and the store DATA/n<i+1>.",
                "Ready once every server follows one JetStream meta leader (read from each server's /jsz); then"
                        + " stdout gets the client URL list, comma-separated (or --json).",
                "Every server requires authentication (NATS operator mode): keys in DATA/trust, one creds file per"
                        + " role in DATA/creds (mixer, rack, reader, admin, mixer-system).",
                "Every server requires TLS (tls:// URLs; routes too): its certificate comes from a NATS CA kept in DATA/tls;"
                        + " clients trust DATA/tls/ca.crt (a rack's tls.ca.file, the Mixer's --nats-ca, the wire commands' --ca)."},
        exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1)
public final class NatsCommand implements Callable<Integer> {
    /** How often the foreground loop checks that every server still runs. */
    private static final long WATCH_MS = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--cluster", paramLabel = "N", description = "Servers: 1 (one server, no cluster) or 3 to 7 (default ${DEFAULT-VALUE}).")
    int nodes = 1;

    @Option(names = "--data", paramLabel = "DIR", description = "Stores under DIR/n1..nN, logs DIR/nI/nats-server.log "
            + "(default ./data/nats for one server, ./data/nats-cluster for a cluster).")
    Path data;

    @Option(names = "--port", paramLabel = "PORT", description = "First client port (default ${DEFAULT-VALUE}).")
    int port = 4222;

    @Option(names = "--cluster-port", paramLabel = "PORT", description = "First route port (default ${DEFAULT-VALUE}).")
    int clusterPort = 6222;

    @Option(names = "--monitor-port", paramLabel = "PORT", description = "First HTTP monitoring port (default ${DEFAULT-VALUE}).")
    int monitorPort = 8222;

    @Option(names = "--cluster-name", paramLabel = "NAME", description = "Cluster name (default ${DEFAULT-VALUE}).")
    String clusterName = "fluxrig";

    @Option(names = "--json", description = "Print the ready cluster as one JSON object: cluster, urls, metaLeader, nodes.")
    boolean json;

    private final CountDownLatch stop;
    private final boolean hook;

    /** Stops on SIGINT/SIGTERM (a shutdown hook). */
    public NatsCommand() {
        this(new CountDownLatch(1), true);
    }

    /** @param stop counted down to stop the servers (for callers that run it in-process) */
    public NatsCommand(CountDownLatch stop) {
        this(stop, false);
    }

    private NatsCommand(CountDownLatch stop, boolean hook) {
        this.stop = stop;
        this.hook = hook;
    }

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes == 2 || nodes > 7) {
            throw new ParameterException(spec.commandLine(), "--cluster " + nodes
                    + ": use 1 (one server) or 3 to 7 (two servers lose their JetStream majority when one stops)");
        }
        List<NodePorts> ports;
        try {
            ports = NodePorts.consecutive(nodes, port, clusterPort, monitorPort);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path root = (data != null ? data : Path.of("data", nodes == 1 ? "nats" : "nats-cluster")).toAbsolutePath().normalize();
        Files.createDirectories(root);
        NatsTrust trust = NatsTrust.loadOrCreate(root.resolve("trust"));
        Map<Role, Path> creds = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            Path file = root.resolve("creds").resolve(r.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".creds");
            if (!Files.exists(file)) {
                trust.writeCreds(r, "dev-" + r.name().toLowerCase(Locale.ROOT), null, file);
            }
            creds.put(r, file);
        }
        LocalCa ca = LocalCa.loadOrCreate(root.resolve("tls"));
        ServerTls tls = ca.issueServer(root.resolve("tls").resolve("server"), List.of("127.0.0.1", "localhost"), Duration.ofDays(365));
        LocalNatsCluster cluster = new LocalNatsCluster(root, clusterName, ports, trust, tls);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = hook ? new Thread(() -> {
            stop.countDown();
            awaitQuietly(stopped);
        }, "fluxrig-nats-shutdown") : null;
        if (shutdown != null) {
            Runtime.getRuntime().addShutdownHook(shutdown);
        }
        try {
            for (ClusterNode n : cluster.nodes()) {
                progress("starting " + n.name() + ": client " + n.ports().client() + ", route " + n.ports().cluster()
                        + ", monitor " + n.ports().monitor() + ", store " + n.store());
            }
            try {
                cluster.start(LocalNatsCluster.READY_TIMEOUT);
            } catch (IllegalStateException e) {
                // A server that exits (a port taken, a bad store) or no meta leader in time: the
                // message names the server and quotes its log.
                spec.commandLine().getErr().println("fluxrig nats: not started: " + e.getMessage());
                return 1;
            }
            String leader = cluster.awaitReady(Duration.ofSeconds(5));
            progress((nodes == 1 ? "ready (JetStream, one server)" : "ready: cluster " + clusterName + ", meta leader " + leader)
                    + "; authentication required (operator mode, creds files in " + root.resolve("creds")
                    + "); TLS required on 127.0.0.1 (clients trust the CA " + tls.ca() + (nodes == 1 ? "" : "; routes mutual TLS")
                    + "); Ctrl-C stops every server");
            spec.commandLine().getOut().println(json ? json(cluster, leader, trust, creds, tls) : cluster.url());
            spec.commandLine().getOut().flush();
            return watch(cluster);
        } finally {
            try {
                cluster.stop();
            } finally {
                cluster.close();
            }
            progress("stopped " + cluster.nodes().size() + " server(s); stores kept under " + root);
            stopped.countDown();
        }
    }

    /** Waits for the stop signal; a server that dies on its own ends the run with exit 1. */
    private int watch(LocalNatsCluster cluster) throws InterruptedException {
        while (!stop.await(WATCH_MS, TimeUnit.MILLISECONDS)) {
            for (ClusterNode n : cluster.nodes()) {
                // Ctrl-C reaches the servers too (same process group): a server that ended
                // just before the shutdown hook counted down is a stop, not a failure.
                if (!n.isRunning() && !stop.await(2, TimeUnit.SECONDS)) {
                    spec.commandLine().getErr().println("fluxrig nats: " + n.name() + " ended on its own; stopping the others."
                            + " Its log " + n.process().log() + " ends with:\n" + tail(n.process().logText()));
                    return 1;
                }
            }
        }
        return 0;
    }

    private static String tail(String log) {
        String[] l = log.split("\n");
        return String.join("\n", List.of(l).subList(Math.max(0, l.length - 10), l.length));
    }

    private String json(LocalNatsCluster cluster, String leader, NatsTrust trust, Map<Role, Path> creds, ServerTls tls)
            throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("cluster", nodes == 1 ? null : clusterName);
            g.writeArrayFieldStart("urls");
            for (String u : cluster.urls()) {
                g.writeString(u);
            }
            g.writeEndArray();
            g.writeStringField("metaLeader", nodes == 1 ? null : leader);
            g.writeStringField("trust", trust.dir().toString());
            g.writeStringField("ca", tls.ca().toString());
            g.writeObjectFieldStart("creds");
            for (Map.Entry<Role, Path> e : creds.entrySet()) {
                g.writeStringField(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue().toString());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("nodes");
            for (ClusterNode n : cluster.nodes()) {
                g.writeStartObject();
                g.writeStringField("name", n.name());
                g.writeStringField("url", n.url());
                g.writeNumberField("clusterPort", n.ports().cluster());
                g.writeNumberField("monitorPort", n.ports().monitor());
                g.writeStringField("store", n.store().toString());
                g.writeNumberField("pid", n.process().pid());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return w.toString();
    }

    private void progress(String line) {
        spec.commandLine().getErr().println("fluxrig nats: " + line);
        spec.commandLine().getErr().flush();
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
