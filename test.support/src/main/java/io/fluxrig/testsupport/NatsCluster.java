package io.fluxrig.testsupport;

import io.fluxrig.nats.local.cluster.ClusterNode;
import io.fluxrig.nats.local.cluster.LocalNatsCluster;
import io.fluxrig.nats.local.cluster.NodePorts;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.nats.trust.Role;
import io.nats.client.Connection;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real local JetStream cluster for tests: N {@code nats-server} processes on free 127.0.0.1
 * ports (client, route, monitoring), each with its own store under one temporary folder, routes
 * between all of them, cluster name {@code fluxrig-test}, server names {@code n1..nN}. The
 * processes and the readiness check are {@link LocalNatsCluster}'s (the same code as
 * {@code fluxrig nats --cluster N}); this class adds the free ports and the temporary folder.
 *
 * <p>{@link #started(int)} returns once a JetStream meta leader exists that every node follows.
 * One node can be stopped (SIGTERM), killed (SIGKILL), frozen (SIGSTOP) and started again
 * through {@link #node(String)}; {@link #awaitReady()} then waits until the cluster has a meta
 * leader again that sees every serving node current (so a restarted node has rejoined).
 * {@link #close()} kills every node and deletes the stores; each node's log is
 * {@code <store>/nats-server.log} and the tails of all logs are quoted when readiness fails.
 *
 * <p>Every node requires authentication (operator mode, the cluster's own root of trust, one
 * creds file per {@link Role}: {@link #creds(Role)}, {@link #options()}, {@link #connect()}) and
 * TLS (one server certificate from the cluster's own CA, {@link #caFile()}; {@code tls://} URLs;
 * the routes between the nodes are mutual TLS with the same certificate), like {@link NatsServer}.
 *
 * <p>Threading: not thread-safe; one test thread drives it. {@link #url()} never changes.
 */
public final class NatsCluster implements AutoCloseable {
    private final Path root;
    private final LocalNatsCluster cluster;
    private final NatsIdentities identities;

    /** A cluster not started yet: free ports, a temporary folder, the identities. */
    public NatsCluster(int nodes) throws IOException {
        this.root = Files.createTempDirectory("fluxrig-nats-cluster-");
        this.identities = new NatsIdentities(root, true);
        this.cluster = new LocalNatsCluster(root, "fluxrig-test", NodePorts.free(nodes), identities.trust(), identities.tls());
    }

    /** @return the CA certificate file (PEM) every node's certificate chains to: what a transport's {@code tls.ca.file} takes */
    public Path caFile() {
        return identities.tls().ca();
    }

    /** @return a new client TLS context that trusts only {@link #caFile()} and checks the server's name */
    public javax.net.ssl.SSLContext sslContext() {
        return identities.sslContext();
    }

    /** The root of trust every node accepts users of. */
    public NatsTrust trust() {
        return identities.trust();
    }

    /** @return the creds file (0600, no expiry) of a user of that role */
    public Path creds(Role role) {
        return identities.creds(role);
    }

    /** @return the creds file of {@link Role#ADMIN} */
    public Path creds() {
        return creds(Role.ADMIN);
    }

    /** @return jnats options: every node's URL, {@link Role#ADMIN}'s credentials */
    public Options.Builder options() {
        return options(Role.ADMIN);
    }

    /** @return jnats options: every node's URL, the role's credentials */
    public Options.Builder options(Role role) {
        return NatsClients.options(urls(), creds(role), sslContext());
    }

    /** @return a new connection to the cluster as {@link Role#ADMIN} (the caller closes it) */
    public Connection connect() throws IOException, InterruptedException {
        return NatsClients.connect(urls(), creds(Role.ADMIN), sslContext());
    }

    /** @return a new connection to the cluster as the role (the caller closes it) */
    public Connection connect(Role role) throws IOException, InterruptedException {
        return NatsClients.connect(urls(), creds(role), sslContext());
    }

    /** A new cluster of {@code nodes} servers, started and ready; on a failure everything is removed again. */
    public static NatsCluster started(int nodes) throws IOException, InterruptedException {
        NatsCluster c = new NatsCluster(nodes);
        try {
            c.start();
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Starts every node that is down and waits until the cluster is ready. */
    public void start() throws IOException, InterruptedException {
        cluster.start(LocalNatsCluster.READY_TIMEOUT);
    }

    /**
     * @return the meta leader's name, once the serving nodes agree on one that sees them all current
     * @throws IllegalStateException after 60 s, with what each node said and their log tails
     */
    public String awaitReady() throws InterruptedException {
        return cluster.awaitReady(LocalNatsCluster.READY_TIMEOUT);
    }

    /** @return the meta leader the serving nodes agree on now, or null */
    public String metaLeader() throws InterruptedException {
        return cluster.metaLeader();
    }

    /** @return the client URLs, comma-separated (n1 first): what a transport's {@code servers} takes */
    public String url() {
        return cluster.url();
    }

    public List<String> urls() {
        return cluster.urls();
    }

    public List<ClusterNode> nodes() {
        return cluster.nodes();
    }

    /** @param name {@code n1..nN}, the server name JetStream reports (e.g. as a stream's leader) */
    public ClusterNode node(String name) {
        return cluster.node(name);
    }

    /** The folder holding every node's store ({@code <root>/n1}, ...). Deleted by {@link #close()}. */
    public Path root() {
        return root;
    }

    /** Kills every node and deletes the stores. */
    @Override
    public void close() throws IOException, InterruptedException {
        cluster.close();
        TempFolders.delete(root);
    }

    @Override
    public String toString() {
        return cluster + " under " + root;
    }
}
