package io.fluxrig.mixer.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.nats.trust.NatsUrls;
import io.fluxrig.nats.trust.jnats.ConnectErrors;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mixer's connection to NATS and its two key-value buckets. Connecting blocks: it is called
 * from the Mixer's start thread, never from a DS activation. jnats is embedded privately in this
 * bundle; no other bundle sees it.
 *
 * <p>Threading: the jnats connection and {@link KeyValue} handles are thread-safe; the stores
 * built on them serialise concurrent writers with compare-and-set on revisions, so several
 * Mixer threads (or a second Mixer on the same NATS) never lose an update.
 */
public final class MixerStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MixerStore.class);
    public static final String TOKENS = "fluxrig_mixer_tokens";
    public static final String RACKS = "fluxrig_mixer_racks";
    public static final String COMMANDS = "fluxrig_mixer_commands";
    /** Issued rack NATS keys and revocations ({@code io.fluxrig.mixer.nats.NatsIssuer}). */
    public static final String NATS = "fluxrig_mixer_nats";

    private final Connection connection;
    private final TokenStore tokens;
    private final RackRegistry racks;
    private final KeyValue commands;
    private final NatsHealth health;
    private final KeyValue nats;
    private final String[] servers;
    private java.util.Map<String, String> mismatches = java.util.Map.of(); // set once by connect, before publication
    private int replicas = 1; // set once by connect, before publication
    private javax.net.ssl.SSLContext tls; // set once by connect, before publication
    private KvWriteErrors kvErrors = new KvWriteErrors(); // set once by connect, before publication

    private MixerStore(Connection connection, TokenStore tokens, RackRegistry racks, KeyValue commands, NatsHealth health,
            KeyValue nats, String[] servers) {
        this.nats = nats;
        this.servers = servers;
        this.connection = connection;
        this.tokens = tokens;
        this.racks = racks;
        this.commands = commands;
        this.health = health;
    }

    /**
     * @param url e.g. {@code nats://127.0.0.1:4222}, or a comma-separated list of the servers of a
     *     cluster (jnats connects to any of them and reconnects to any of them)
     * @param credentials the Mixer's NATS creds file (a user of the Mixer's account), or null for
     *     a server without authentication
     * @param json the Mixer's mapper
     * @return the store, buckets created when missing
     * @throws IOException when NATS is unreachable or refuses the credentials, or JetStream refuses
     * @throws InterruptedException when interrupted while connecting
     */
    public static MixerStore connect(String url, Path credentials, ObjectMapper json) throws IOException, InterruptedException {
        return connect(url, credentials, 1, json);
    }

    /**
     * @param url e.g. {@code nats://127.0.0.1:4222}, or a comma-separated list of the servers of a
     *     cluster (jnats connects to any of them and reconnects to any of them)
     * @param credentials the Mixer's NATS creds file (a user of the Mixer's account), or null for
     *     a server without authentication
     * @param replicas replicas of a bucket this creates (1 to 5); an existing bucket with another
     *     count is used as it is, logged and listed in {@link #replicaMismatches()}
     * @param json the Mixer's mapper
     * @return the store, buckets created when missing
     * @throws IOException when NATS is unreachable or refuses the credentials, or JetStream refuses
     * @throws InterruptedException when interrupted while connecting
     */
    public static MixerStore connect(String url, Path credentials, int replicas, ObjectMapper json)
            throws IOException, InterruptedException {
        return connect(url, credentials, null, replicas, json);
    }

    /**
     * @param url e.g. {@code tls://127.0.0.1:4222}, or a comma-separated list of the servers of a
     *     cluster (jnats connects to any of them and reconnects to any of them)
     * @param credentials the Mixer's NATS creds file (a user of the Mixer's account), or null for
     *     a server without authentication
     * @param ca the PEM file of the CA the servers' certificates chain to: every connection is then
     *     TLS, trusting only it and checking the server's name ({@link TlsContexts#verifyingServer});
     *     null: {@code tls://} URLs use the JVM's trust store, {@code nats://} ones are plaintext
     * @param replicas replicas of a bucket this creates (1 to 5)
     * @param json the Mixer's mapper
     * @return the store, buckets created when missing
     * @throws IOException naming the URLs and the reason when NATS is unreachable or refuses the
     *     connection (no TLS, a certificate of another CA, the credentials), or JetStream refuses
     * @throws InterruptedException when interrupted while connecting
     */
    public static MixerStore connect(String url, Path credentials, Path ca, int replicas, ObjectMapper json)
            throws IOException, InterruptedException {
        String[] servers = servers(url);
        NatsHealth health = new NatsHealth(url);
        javax.net.ssl.SSLContext tls = ca == null ? null : sslContext(ca);
        // Reconnects forever on its own (jnats), every 500 ms; the listener logs and records the state.
        Options.Builder b = new Options.Builder();
        if (credentials != null) {
            b.authHandler(new CredsAuthHandler(credentials)); // read at every (re)connect
        }
        if (tls != null) {
            b.sslContext(tls);
        }
        ConnectErrors errors = new ConnectErrors();
        Options options = b.servers(servers).connectionName("fluxrig-mixer")
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(-1).reconnectWait(Duration.ofMillis(500))
                .connectionListener(health).errorListener(errors).build();
        Connection nc;
        try {
            nc = Nats.connect(options);
        } catch (IOException e) {
            throw errors.explain(java.util.List.of(servers), e);
        }
        try {
            KeyValueManagement kvm = nc.keyValueManagement();
            java.util.Map<String, String> mismatches = new java.util.TreeMap<>();
            KvWriteErrors kvErrors = new KvWriteErrors();
            KeyValue tokens = kvErrors.counting(bucket(nc, kvm, TOKENS, replicas, mismatches), TOKENS);
            KeyValue racks = kvErrors.counting(bucket(nc, kvm, RACKS, replicas, mismatches), RACKS);
            KeyValue commands = kvErrors.counting(bucket(nc, kvm, COMMANDS, replicas, mismatches), COMMANDS);
            KeyValue nats = kvErrors.counting(bucket(nc, kvm, NATS, replicas, mismatches), NATS);
            RackRegistry registry = new RackRegistry(racks, json, () -> nc.getStatus() == Connection.Status.CONNECTED);
            registry.startView();
            health.connected();
            MixerStore store = new MixerStore(nc, new TokenStore(tokens, json), registry, commands, health, nats, servers);
            store.mismatches = java.util.Map.copyOf(mismatches);
            store.replicas = replicas;
            store.tls = tls;
            store.kvErrors = kvErrors;
            return store;
        } catch (IOException | RuntimeException e) {
            nc.close();
            throw e;
        }
    }

    /**
     * @param ca a PEM CA file
     * @return a NATS client context trusting only that CA
     * @throws IOException naming the file when it cannot be read or holds no certificate
     */
    public static javax.net.ssl.SSLContext sslContext(Path ca) throws IOException {
        try {
            return TlsContexts.verifyingServer(Pem.readCertificate(ca), "a NATS server");
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException("NATS CA file " + ca + " unusable: " + e.getMessage(), e);
        }
    }

    /** @return the TLS context of the Mixer's NATS connections (for its other NATS clients), or null without a CA */
    public javax.net.ssl.SSLContext tls() {
        return tls;
    }

    /**
     * @param list one NATS URL or several, comma-separated (spaces around them ignored)
     * @return the URLs
     * @throws IllegalArgumentException when the list holds none, or a URL holds credentials (they
     *     belong in the creds file; the message shows the URL redacted)
     */
    static String[] servers(String list) {
        String[] urls = Arrays.stream(list.split(",")).map(String::trim).filter(u -> !u.isEmpty())
                .toArray(String[]::new);
        if (urls.length == 0) {
            throw new IllegalArgumentException("NATS servers: no URL in '" + NatsUrls.redact(list) + "'");
        }
        for (String u : urls) {
            NatsUrls.requireNoCredentials(u);
        }
        return urls;
    }

    /**
     * Creates the bucket with the given replicas when it is missing. A create races with another
     * Mixer's, and on a cluster is refused with "no responders" or a timeout while a meta leader
     * is elected: both are retried for up to 30 s.
     */
    private static KeyValue bucket(Connection nc, KeyValueManagement kvm, String name, int replicas,
            java.util.Map<String, String> mismatches) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (!kvm.getBucketNames().contains(name)) {
                    kvm.create(KeyValueConfiguration.builder().name(name).storageType(StorageType.File)
                            .maxHistoryPerKey(1).replicas(replicas).build());
                }
                int has = kvm.getStatus(name).getReplicas();
                if (has != replicas) {
                    String text = "server has " + has + ", configured " + replicas;
                    mismatches.put(name, text);
                    LOG.warn("KV bucket {} replicas: {} (used as it is, not changed: its durability differs from the "
                            + "configuration; change the bucket on the server or kv.replicas)", name, text);
                }
                readFromLeader(nc, name);
                return nc.keyValue(name);
            } catch (JetStreamApiException | IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("JetStream refused bucket " + name + " (replicas " + replicas + "): " + e.getMessage(), e);
                }
                Thread.sleep(250); // e.g. no meta leader yet, or another Mixer created it meanwhile
            }
        }
    }

    /**
     * Turns off direct gets on the bucket's stream. jnats creates KV streams with {@code allow_direct},
     * where any replica answers a get, and a follower that has not yet applied a write answers
     * "no such key": on an R3 bucket, a command the Mixer had just queued was then reported missing
     * to the operator who queued it. Without direct gets every read goes to the stream leader, which
     * has every acknowledged write. The Mixer's reads are control-plane rate, so the leader can take
     * them. Done before {@code keyValue(name)} binds, as jnats chooses the get path from the
     * stream's configuration it caches.
     */
    private static void readFromLeader(Connection nc, String name) throws IOException, JetStreamApiException {
        io.nats.client.JetStreamManagement jsm = nc.jetStreamManagement();
        io.nats.client.api.StreamConfiguration sc = jsm.getStreamInfo("KV_" + name).getConfiguration();
        if (sc.getAllowDirect()) {
            jsm.updateStream(io.nats.client.api.StreamConfiguration.builder(sc).allowDirect(false).build());
        }
    }

    /** @return bucket name to "server has N, configured M", for buckets whose replicas differ from the configuration */
    public java.util.Map<String, String> replicaMismatches() {
        return mismatches;
    }

    /** @return the failed writes to this store's buckets (for the Mixer's metrics) */
    public KvWriteErrors kvWriteErrors() {
        return kvErrors;
    }

    /** @return the enrolment tokens */
    public TokenStore tokens() {
        return tokens;
    }

    /** @return the KV bucket of rack commands (see {@code io.fluxrig.mixer.command.Commands}) */
    public KeyValue commandBucket() {
        return commands;
    }

    /**
     * @param name a further bucket of the Mixer (e.g. rollouts), created when missing like the others
     * @return it
     * @throws IOException when JetStream refuses
     */
    public KeyValue bucket(String name) throws IOException {
        try {
            // Same replicas as the Mixer's other buckets; a mismatch is logged by the creation.
            return kvErrors.counting(bucket(connection, connection.keyValueManagement(), name, replicas, new java.util.TreeMap<>()),
                    name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating bucket " + name, e);
        }
    }

    /** @return the KV bucket of issued rack NATS keys and revocations */
    public KeyValue natsBucket() {
        return nats;
    }

    /** @return the NATS URLs the store connects to */
    public String[] servers() {
        return servers.clone();
    }

    /** @return the state of the NATS connection */
    public NatsHealth health() {
        return health;
    }

    /** @return the rack registry */
    public RackRegistry racks() {
        return racks;
    }

    @Override
    public void close() throws InterruptedException {
        racks.close();
        connection.close();
    }
}
