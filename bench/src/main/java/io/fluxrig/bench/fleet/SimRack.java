package io.fluxrig.bench.fleet;

import io.fluxrig.snake.api.ArtifactDigest;
import io.fluxrig.snake.api.Command;
import io.fluxrig.snake.api.CommandBatch;
import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.HeartbeatReply;
import io.fluxrig.snake.api.InventoryDigest;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.fluxrig.testsupport.snake.SnakeConnector;
import io.fluxrig.testsupport.snake.SnakeEnrolment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * One simulated rack, built only on the Snake contract (snake.api's routes, records, codec and TLS
 * helpers) and test.support's Snake client: it enrols as a rack does ({@link SnakeEnrolment}: pins
 * the Mixer CA by hash, makes its own EC key, sends a CSR with a one-time token, checks the
 * certificate it gets back), then holds one mutual-TLS 1.3 HTTP/2 connection
 * ({@link SnakeConnector.Connection}) on which it sends a heartbeat every period and keeps a command
 * long poll open. Its inventory travels as a rack's does ({@link Heartbeat}): in full with its
 * digest when the Mixer's last reply did not name that digest, otherwise the digest and the live
 * part only (gear counters, wire transport); a rack that predates digests, sending the full
 * inventory every time, is simulated with {@code digests} off. A digest-only heartbeat the Mixer
 * does not hold is followed by the full inventory at the next period (a rack sends it at once). A {@code fetch-artifact} command is executed for real
 * (downloaded and its SHA-256 checked); any other type is answered {@code refused}, as a rack does
 * with a type it does not know. Each command id is executed once. A connection the Mixer closed is
 * opened again at the next heartbeat.
 *
 * <p>Threading: nothing here owns a thread. Heartbeats are scheduled on the fleet's timer; every
 * exchange is asynchronous on the fleet's one {@link SnakeConnector}, whose few selector threads
 * serve every simulated rack.
 */
final class SimRack {
    private static final SnakeCodec JSON = SnakeCodec.json();
    private static final long POLL_WAIT_MS = 20_000;

    private final String name;
    private final String snake;
    private final long periodMs;
    private final boolean busy;
    private final boolean digests;
    private final FleetStats stats;
    private final Set<String> executed = ConcurrentHashMap.newKeySet();
    private volatile SnakeConnector connector;
    private volatile SSLContext tls;
    private volatile CompletableFuture<SnakeConnector.Connection> connection;
    private volatile boolean stopped;
    private volatile long traffic;
    /** The digest of this rack's inventory (its stable part never changes here); made on first use, timer thread only. */
    private String digest;
    /** The digest the Mixer's last heartbeat reply named, or null; written by the connector's threads. */
    private volatile String mixerHolds;

    SimRack(String name, String snake, long periodMs, boolean busy, boolean digests, FleetStats stats) {
        this.name = name;
        this.snake = snake;
        this.periodMs = periodMs;
        this.busy = busy;
        this.digests = digests;
        this.stats = stats;
    }

    String name() {
        return name;
    }

    /**
     * @param caHash the CA hash racks pin
     * @param executor where exchanges complete
     * @return a client without a certificate that trusts only a server chain holding the pinned CA
     *     (the fleet shares one for enrolments: one TLS connection instead of one per rack)
     */
    static HttpClient pinnedClient(String caHash, Executor executor) throws GeneralSecurityException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsContexts.context(null, SnakeEnrolment.pinned(caHash))).sslParameters(TlsContexts.parameters())
                .connectTimeout(Duration.ofSeconds(20)).executor(executor).build();
    }

    /**
     * Enrols (blocking) over the fleet's pinned client, then opens its own connection.
     *
     * @param token a one-time enrolment token for this rack
     * @param caHash the pinned CA hash
     * @param pinned the fleet's {@link #pinnedClient}
     * @param connector the fleet's connector, for the rack's own connection
     * @throws SnakeEnrolment.Refused when the Mixer refuses (the status says whether to try again)
     */
    void enrol(String token, String caHash, HttpClient pinned, SnakeConnector connector) throws SnakeEnrolment.Refused,
            IOException, InterruptedException, GeneralSecurityException {
        SnakeEnrolment.Enrolled id = SnakeEnrolment.enrol((route, body, ca) -> send(pinned, route, body), name, token, caHash, null);
        this.tls = TlsContexts.mutual(id.keys().getPrivate(), id.chain(), id.ca());
        this.connector = connector;
        try {
            connection().get(60, TimeUnit.SECONDS); // paces enrolment; enrolled is enrolled (the token is used)
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            stats.pollFailed(name, "connecting after enrolment: " + e); // the first heartbeat connects again
        }
    }

    /** @return the open connection, or a new one when there is none or the Mixer closed it */
    private synchronized CompletableFuture<SnakeConnector.Connection> connection() {
        CompletableFuture<SnakeConnector.Connection> c = connection;
        if (c == null || c.isCompletedExceptionally() || (c.isDone() && c.join().closed())) {
            c = connector.connect(tls);
            connection = c;
        }
        return c;
    }

    private CompletableFuture<SnakeConnector.Reply> exchange(String method, String path, Object body, long timeoutMs) {
        return connection().thenCompose(c -> c.exchange(method, path, body == null ? null : JSON.write(body), timeoutMs));
    }

    /** Starts heartbeats (at a random phase within the period) and the command poll. */
    void start(ScheduledExecutorService timer) {
        long phase = (long) (Math.random() * periodMs);
        timer.scheduleAtFixedRate(this::heartbeat, phase, periodMs, TimeUnit.MILLISECONDS);
        timer.schedule(() -> poll(timer), phase, TimeUnit.MILLISECONDS);
    }

    void stop() {
        stopped = true;
    }

    private void heartbeat() {
        if (stopped) {
            throw new IllegalStateException("stopped"); // ends the fixed-rate schedule
        }
        if (busy) {
            traffic += periodMs / 100; // about 10 messages a second through each gear
        }
        Heartbeat hb = body();
        long began = System.nanoTime();
        exchange("POST", SnakeRoute.HEARTBEAT.path(), hb, 30_000).whenComplete((r, e) -> {
            boolean ok = e == null && r.status() == 200;
            if (digests) {
                mixerHolds = ok ? heldDigest(r.body()) : null;
            }
            stats.heartbeat(name, System.nanoTime() - began, ok,
                    e != null ? e.toString() : r.status() != 200 ? r.status() + " " + JSON.error(r.body()) : null);
        });
    }

    /** @return this period's heartbeat: the full inventory, or its digest and live part (see the class comment) */
    private Heartbeat body() {
        Map<String, String> versions = Map.of("java", "17.0.15", "fluxrig", "1.0.0");
        if (!digests) {
            return new Heartbeat(periodMs, versions, SimInventory.of(name, traffic));
        }
        if (digest == null) {
            digest = InventoryDigest.of(SimInventory.of(name, 0));
        }
        if (digest.equals(mixerHolds)) {
            return new Heartbeat(periodMs, versions, null, digest, SimInventory.gears(traffic), SimInventory.WIRE_TRANSPORT);
        }
        return new Heartbeat(periodMs, versions, SimInventory.of(name, traffic)).withInventoryDigest(digest);
    }

    private static String heldDigest(byte[] reply) {
        try {
            return JSON.read(reply, HeartbeatReply.class).inventoryDigest();
        } catch (IOException e) {
            return null; // the next heartbeat carries the full inventory
        }
    }

    private void poll(ScheduledExecutorService timer) {
        if (stopped) {
            return;
        }
        exchange("GET", SnakeRoute.commandsPoll(POLL_WAIT_MS), null, POLL_WAIT_MS + 15_000).whenComplete((r, e) -> {
            List<Command> batch = null;
            String failure = e != null ? e.toString() : r.status() != 200 ? r.status() + " " + JSON.error(r.body()) : null;
            if (failure == null) {
                try {
                    batch = JSON.read(r.body(), CommandBatch.class).commands();
                } catch (IOException bad) {
                    failure = bad.toString();
                }
            }
            if (failure != null) {
                stats.pollFailed(name, failure);
                timer.schedule(() -> poll(timer), 1, TimeUnit.SECONDS);
                return;
            }
            // As a rack does: the batch is run and its results reported before the next poll.
            CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
            for (Command c : batch) {
                all = all.thenCompose(x -> run(c));
            }
            all.whenComplete((x, e2) -> poll(timer));
        });
    }

    /** Executes a command once; @return when its result is reported (or failed to be) */
    private CompletableFuture<Void> run(Command c) {
        boolean first = executed.add(c.id());
        if (first) {
            stats.commandReceived(name, c.id());
        }
        CommandType type = CommandType.of(c.type()).orElse(null);
        if (type == CommandType.FETCH_ARTIFACT && first) {
            String digest = c.args().get(CommandType.DIGEST);
            return exchange("GET", SnakeRoute.artifact(digest), null, 60_000).handle((r, e) -> {
                String why = e != null ? e.toString() : r.status() != 200 ? "HTTP " + r.status()
                        : digest.equals(ArtifactDigest.PREFIX + sha256(r.body())) ? null : "digest mismatch";
                return new CommandResult(c.id(), why == null ? CommandResult.DONE : CommandResult.FAILED,
                        why == null ? "fetched " + r.body().length + " bytes" : why);
            }).thenCompose(this::report);
        } else if (type == CommandType.FETCH_ARTIFACT) {
            return report(new CommandResult(c.id(), CommandResult.DONE, "fetched before (from the ledger)"));
        }
        return report(new CommandResult(c.id(), CommandResult.REFUSED, "this simulated rack runs only fetch-artifact"));
    }

    private CompletableFuture<Void> report(CommandResult result) {
        return exchange("POST", SnakeRoute.COMMAND_RESULT.path(), result, 30_000).handle((r, e) -> {
            stats.commandReported(name, result.id(), e == null && r.status() == 200);
            return null;
        });
    }

    // --- plumbing ----------------------------------------------------------------------------

    /** One enrolment request on the fleet's pinned client (blocking). */
    private byte[] send(HttpClient c, SnakeRoute route, byte[] body) throws SnakeEnrolment.Refused, IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://" + snake + route.path())).timeout(Duration.ofSeconds(120));
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> r = c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new SnakeEnrolment.Refused(r.statusCode(), "HTTP " + r.statusCode() + ": " + JSON.error(r.body()));
        }
        return r.body();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
