package io.fluxrig.nats.local.cluster;

import io.fluxrig.nats.local.NatsProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One server of a {@link LocalNatsCluster}: its name, ports, store and process. Stop, kill,
 * freeze and start act on this node only; the cluster's {@link LocalNatsCluster#awaitReady}
 * tells when the others have a meta leader again and this node has rejoined.
 *
 * <p>Threading: driven by one thread, like {@link NatsProcess}; {@link #meta()} may be called
 * from any thread.
 */
public final class ClusterNode {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final String name;
    private final NodePorts ports;
    private final Path store;
    private final NatsProcess process;
    private volatile boolean frozen;

    ClusterNode(String name, NodePorts ports, Path store, NatsProcess process) {
        this.name = name;
        this.ports = ports;
        this.store = store;
        this.process = process;
    }

    /** The server name ({@code --server_name}): what JetStream reports as leader or peer. */
    public String name() {
        return name;
    }

    public NodePorts ports() {
        return ports;
    }

    /** {@code tls://127.0.0.1:<client port>} (or {@code nats://} for a cluster without TLS) */
    public String url() {
        return process.url();
    }

    /** The store folder ({@code -sd}); the log is {@code nats-server.log} inside it. */
    public Path store() {
        return store;
    }

    public NatsProcess process() {
        return process;
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    /** @return running and not frozen */
    public boolean isServing() {
        return process.isRunning() && !frozen;
    }

    /** Starts the node (again, on the same ports and store) and waits until it answers clients. */
    public void start() throws IOException, InterruptedException {
        frozen = false;
        process.start();
    }

    /** SIGTERM, waited for. */
    public void stop() throws InterruptedException {
        process.stop();
        frozen = false;
    }

    /** SIGKILL. */
    public void kill() throws InterruptedException {
        process.kill();
        frozen = false;
    }

    /** SIGTERM then start: a clean restart on the same ports and store. */
    public void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    /** SIGSTOP: the node stops answering peers and clients with its connections open. */
    public void freeze() throws IOException, InterruptedException {
        process.freeze();
        frozen = true;
    }

    /** SIGCONT. */
    public void unfreeze() throws IOException, InterruptedException {
        process.unfreeze();
        frozen = false;
    }

    /**
     * @return what this node says about the meta group now ({@code GET /jsz} on its monitoring port)
     * @throws IOException when it does not answer (down, frozen, starting)
     */
    public MetaView meta() throws IOException, InterruptedException {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.monitor() + "/jsz"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        HttpResponse<String> r = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("node " + name + ": /jsz answered HTTP " + r.statusCode());
        }
        return MetaView.parse(r.body());
    }

    @Override
    public String toString() {
        return name + " " + url() + (frozen ? " (frozen)" : process.isRunning() ? " (running)" : " (down)");
    }
}
