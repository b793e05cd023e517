package io.fluxrig.cli.launch;

import io.fluxrig.nats.local.cluster.ClusterNode;
import io.fluxrig.nats.local.cluster.LocalNatsCluster;
import io.fluxrig.nats.local.cluster.NodePorts;
import io.fluxrig.nats.local.tls.ServerTls;
import io.fluxrig.nats.trust.NatsTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The demo's NATS: one JetStream server, or with {@code --cluster N} a cluster of N
 * ({@link LocalNatsCluster}'s command lines and readiness check, run by the demo's
 * {@link Supervisor} so that {@code --keep} and {@code --stop} treat the servers like every other
 * process). Children are named {@code nats} (one server) or {@code nats-n1..nats-nN}.
 *
 * <p>Threading: driven by the demo's thread.
 */
final class DemoNats {
    private final int port;
    private final Path conf;
    private final Path store;
    private final LocalNatsCluster cluster;

    /**
     * @param nodes 1, or 3 to 7
     * @param port the one server's client port; a cluster's node i uses port+10+i, port+20+i (routes), port+30+i (monitoring)
     * @param store the store folder (a cluster's nodes under {@code store/n1..nN})
     * @param trust the operator-mode root of trust every server requires
     * @param tls the certificate every server serves on its client port (clients must use TLS) and a
     *     cluster's nodes on their route ports too (mutual TLS, verified against its CA)
     * @param conf the one server's configuration ({@link ServerTls#writeConfig} including
     *     {@link NatsTrust#writeServerConfig}'s); unused for a cluster (each node writes its own)
     */
    DemoNats(int nodes, int port, Path store, NatsTrust trust, ServerTls tls, Path conf) {
        this.port = port;
        this.conf = conf;
        this.store = store;
        this.cluster = nodes == 1 ? null : new LocalNatsCluster(store, "fluxrig-demo", nodePorts(nodes, port), trust, tls);
    }

    private static List<NodePorts> nodePorts(int nodes, int port) {
        return NodePorts.consecutive(nodes, port + 10, port + 20, port + 30);
    }

    /** @return the client URLs of {@code nodes} servers numbered from {@code port} as this class does, comma-separated */
    static String urls(int nodes, int port) {
        return nodes == 1 ? "tls://127.0.0.1:" + port
                : String.join(",", nodePorts(nodes, port).stream().map(p -> "tls://127.0.0.1:" + p.client()).toList());
    }

    boolean clustered() {
        return cluster != null;
    }

    /** @return the replicas of wires and KV buckets: 3 on a cluster, 1 on one server */
    int replicas() {
        return cluster == null ? 1 : 3;
    }

    /** @return the client URL, or a cluster's comma-separated list */
    String url() {
        return cluster == null ? "tls://127.0.0.1:" + port : cluster.url();
    }

    /** @return the client URLs */
    List<String> urls() {
        return cluster == null ? List.of(url()) : cluster.urls();
    }

    /** A short description for the demo's progress line. */
    String describe() {
        return cluster == null ? "NATS (JetStream, TLS, port " + port + ")"
                : "a NATS JetStream cluster of " + cluster.nodes().size() + " (client ports " + cluster.nodes().get(0).ports().client()
                        + ".." + cluster.nodes().get(cluster.nodes().size() - 1).ports().client() + ", R3, TLS on client ports and mutual TLS on routes)";
    }

    /** Starts the server(s) and waits until a single server answers, or a cluster has a meta leader every node follows. */
    void start(Supervisor sup, Duration timeout) throws IOException, InterruptedException {
        if (cluster == null) {
            sup.start("nats", command()).awaitReady(Readiness.port(port), timeout);
            return;
        }
        for (ClusterNode n : cluster.nodes()) {
            java.nio.file.Files.createDirectories(n.store());
            sup.start("nats-" + n.name(), n.process().command());
        }
        for (ClusterNode n : cluster.nodes()) {
            Child c = sup.children().stream().filter(x -> x.name().equals("nats-" + n.name())).findFirst().orElseThrow();
            c.awaitReady(Readiness.port(n.ports().client()), timeout);
        }
        try {
            cluster.awaitReadyRunElsewhere(timeout);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** @return the child --chaos restarts: the one server, or node n1 of a cluster */
    String chaosName() {
        return cluster == null ? "nats" : "nats-n1";
    }

    /** @return the command line of {@link #chaosName()} */
    List<String> chaosCommand() {
        return cluster == null ? command() : cluster.nodes().get(0).process().command();
    }

    /** @return the readiness of {@link #chaosName()} after a restart */
    Readiness chaosReady() {
        return Readiness.port(cluster == null ? port : cluster.nodes().get(0).ports().client());
    }

    private List<String> command() {
        return List.of("nats-server", "-c", conf.toString(), "-js", "-sd", store.toString(), "-p", Integer.toString(port), "-a", "127.0.0.1");
    }
}
