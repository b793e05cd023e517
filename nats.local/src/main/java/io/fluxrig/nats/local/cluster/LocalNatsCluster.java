package io.fluxrig.nats.local.cluster;

import io.fluxrig.nats.local.NatsProcess;
import io.fluxrig.nats.local.tls.ServerTls;
import io.fluxrig.nats.trust.NatsTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * N local nats-servers with JetStream forming one cluster: server names {@code n1..nN}, each with
 * its own client, route and monitoring port on 127.0.0.1 and its own store
 * ({@code <root>/<name>}), routes from every server to every other, one cluster name. With one
 * node it is a single JetStream server (no cluster options, no meta group).
 *
 * <p>Ready ({@link #awaitReady}) means JetStream can take requests: every serving node
 * (running, not frozen) names the same meta leader on its monitoring endpoint ({@code /jsz}),
 * that leader is one of them, and the leader reports every other serving node as a current
 * peer. So after a node is killed and started again, {@code awaitReady} returns once it has
 * rejoined. The state is read from the servers, never from their logs.
 *
 * <p>Ownership and threading: the cluster owns its processes ({@link NatsProcess}); the caller
 * owns the root folder (it is never deleted here). One thread drives it.
 */
public final class LocalNatsCluster implements AutoCloseable {
    /** How long a whole cluster may take to elect its first meta leader. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String clusterName;
    private final List<ClusterNode> nodes;

    /**
     * @param root the folder the nodes' stores go under ({@code <root>/n1}, ...)
     * @param clusterName the cluster name ({@code --cluster_name})
     * @param ports one entry per node
     */
    public LocalNatsCluster(Path root, String clusterName, List<NodePorts> ports) {
        this(root, clusterName, ports, null);
    }

    /**
     * @param root the folder the nodes' stores go under ({@code <root>/n1}, ...)
     * @param clusterName the cluster name ({@code --cluster_name})
     * @param ports one entry per node
     * @param trust operator mode: every node requires a user JWT of this trust (its configuration
     *     {@code <root>/<name>/auth/auth.conf}, its own account resolver folder beside it); null: no
     *     authentication
     * @throws UncheckedIOException when a node's configuration cannot be written
     */
    public LocalNatsCluster(Path root, String clusterName, List<NodePorts> ports, NatsTrust trust) {
        this(root, clusterName, ports, trust, null);
    }

    /**
     * @param root the folder the nodes' stores go under ({@code <root>/n1}, ...)
     * @param clusterName the cluster name ({@code --cluster_name})
     * @param ports one entry per node
     * @param trust operator mode: every node requires a user JWT of this trust (its configuration
     *     {@code <root>/<name>/auth/auth.conf}, its own account resolver folder beside it); null: no
     *     authentication
     * @param tls TLS: every node serves this certificate on its client port (plaintext clients are
     *     refused) and, in a cluster, on its route port, where the nodes verify each other against
     *     its CA (configuration {@code <root>/<name>/auth/nats.conf}, including the operator mode's);
     *     null: plaintext
     * @throws UncheckedIOException when a node's configuration cannot be written
     */
    public LocalNatsCluster(Path root, String clusterName, List<NodePorts> ports, NatsTrust trust, ServerTls tls) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one node");
        }
        this.clusterName = clusterName;
        List<String> routes = ports.stream().map(p -> "nats-route://127.0.0.1:" + p.cluster()).toList();
        List<ClusterNode> l = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            String name = "n" + (i + 1);
            NodePorts p = ports.get(i);
            Path store = root.resolve(name);
            List<String> args = new ArrayList<>();
            try {
                Path auth = trust == null ? null : trust.writeServerConfig(store.resolve("auth").resolve("auth.conf"));
                Path conf = tls == null ? auth : tls.writeConfig(store.resolve("auth").resolve("nats.conf"), auth, ports.size() > 1);
                if (conf != null) {
                    args.addAll(List.of("-c", conf.toString()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the configuration of " + name + " under " + store, e);
            }
            args.addAll(List.of("-js", "-sd", store.toString(), "-a", "127.0.0.1",
                    "-p", Integer.toString(p.client()), "-m", Integer.toString(p.monitor()), "--server_name", name));
            if (ports.size() > 1) {
                args.addAll(List.of("--cluster_name", clusterName, "--cluster", "nats://127.0.0.1:" + p.cluster(),
                        "--routes", String.join(",", routes)));
            }
            l.add(new ClusterNode(name, p, store, new NatsProcess(args, p.client(), store.resolve("nats-server.log"), tls != null)));
        }
        this.nodes = List.copyOf(l);
    }

    public String clusterName() {
        return clusterName;
    }

    public List<ClusterNode> nodes() {
        return nodes;
    }

    /** @param name {@code n1..nN} */
    public ClusterNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in " + nodes));
    }

    /** @return every node's client URL, n1 first */
    public List<String> urls() {
        return nodes.stream().map(ClusterNode::url).toList();
    }

    /** @return the client URLs as one comma-separated list (what the racks' and Mixer's settings take) */
    public String url() {
        return String.join(",", urls());
    }

    /**
     * Starts every node that is not running, then waits until the cluster is ready. On a failure
     * the nodes it started are killed again.
     */
    public void start(Duration timeout) throws IOException, InterruptedException {
        List<ClusterNode> started = new ArrayList<>();
        try {
            for (ClusterNode n : nodes) {
                if (!n.isRunning()) {
                    Files.createDirectories(n.store());
                    n.start();
                    started.add(n);
                }
            }
            awaitReady(timeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (ClusterNode n : started) {
                n.kill();
            }
            throw e;
        }
    }

    /**
     * Waits until the serving nodes agree on a meta leader that sees all of them current (a
     * single node: until it answers clients, which {@link ClusterNode#start} already waited for).
     *
     * @return the meta leader's name ({@code n1} for a single node)
     * @throws IllegalStateException after the timeout, with what each node said and the log tails
     */
    public String awaitReady(Duration timeout) throws InterruptedException {
        if (nodes.size() == 1) {
            if (!nodes.get(0).isServing()) {
                throw new IllegalStateException("the only node " + nodes.get(0) + " is not serving");
            }
            return nodes.get(0).name();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> said = new LinkedHashMap<>();
        while (true) {
            said.clear();
            String leader = readyLeader(said);
            if (leader != null) {
                return leader;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("NATS cluster " + clusterName + " not ready within " + timeout
                        + " (a meta leader every serving node follows, seeing all of them current); the nodes said "
                        + said + "; log tails:\n" + logTails());
            }
            Thread.sleep(100);
        }
    }

    /** @return the meta leader the serving nodes agree on now, or null (no leader, disagreement, a node not answering) */
    public String metaLeader() throws InterruptedException {
        return readyLeader(new LinkedHashMap<>());
    }

    private String readyLeader(Map<String, String> said) throws InterruptedException {
        List<ClusterNode> serving = nodes.stream().filter(ClusterNode::isServing).toList();
        if (serving.isEmpty()) {
            said.put("all", "no node is serving");
            return null;
        }
        Map<String, MetaView> views = new LinkedHashMap<>();
        for (ClusterNode n : serving) {
            try {
                MetaView v = n.meta();
                views.put(n.name(), v);
                said.put(n.name(), v.hasLeader() ? "leader " + v.leader() + " peers " + v.peersCurrent() : "no leader");
            } catch (IOException e) {
                said.put(n.name(), "no answer from /jsz (" + e.getMessage() + ")");
            }
        }
        if (views.size() < serving.size()) {
            return null;
        }
        String leader = views.values().iterator().next().leader();
        if (leader.isEmpty() || !views.containsKey(leader)
                || views.values().stream().anyMatch(v -> !v.leader().equals(leader))) {
            return null;
        }
        Map<String, Boolean> peers = views.get(leader).peersCurrent();
        for (ClusterNode n : serving) {
            if (!n.name().equals(leader) && !Boolean.TRUE.equals(peers.get(n.name()))) {
                return null;
            }
        }
        return leader;
    }

    private String logTails() {
        return nodes.stream().map(n -> "--- " + n + ":\n" + tail(n.process().logText(), 15)).collect(Collectors.joining("\n"));
    }

    private static String tail(String text, int lines) {
        String[] l = text.split("\n");
        return String.join("\n", List.of(l).subList(Math.max(0, l.length - lines), l.length));
    }

    /** SIGTERM to every node, last first, each waited for. */
    public void stop() throws InterruptedException {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop();
        }
    }

    /** Kills every node (frozen ones too); the stores stay. */
    @Override
    public void close() throws InterruptedException {
        for (ClusterNode n : nodes) {
            n.kill();
        }
    }

    @Override
    public String toString() {
        return "NATS cluster " + clusterName + " " + nodes;
    }
}
