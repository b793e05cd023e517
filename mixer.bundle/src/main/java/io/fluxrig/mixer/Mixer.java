package io.fluxrig.mixer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.mixer.ca.MixerCa;
import io.fluxrig.mixer.ca.ServerIdentity;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.mixer.http.ApiHandler;
import io.fluxrig.mixer.http.RolloutServlet;
import io.fluxrig.mixer.rollout.FanOuts;
import io.fluxrig.mixer.rollout.Rollouts;
import io.fluxrig.mixer.http.HostNames;
import io.fluxrig.mixer.http.OperatorToken;
import io.fluxrig.mixer.http.SnakeHandler;
import io.fluxrig.mixer.http.SnakeObserver;
import io.fluxrig.mixer.http.TlsServer;
import io.fluxrig.mixer.command.CommandHook;
import io.fluxrig.mixer.metrics.MixerInstruments;
import io.fluxrig.mixer.metrics.SnakeCounts;
import io.fluxrig.mixer.nats.NatsIssuer;
import io.fluxrig.mixer.nats.RevocationKeeper;
import io.fluxrig.mixer.nats.WireGrants;
import io.fluxrig.mixer.store.MixerStore;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.nats.trust.NatsTrust;
import io.fluxrig.snake.api.SnakeCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Mixer: CA, stores, the Snake server, the operator API servlet (served by Felix HTTP
 * with the Web Console, see {@code io.fluxrig.mixer.operator}), and the offline sweeper. Plain
 * Java, so tests start the real thing; {@link MixerComponent} runs it inside the framework.
 *
 * <p>Ownership: {@link #start} creates everything (blocking: files, NATS, binding ports) and
 * {@link #close} releases it in reverse order. The sweeper runs on one thread owned here.
 */
public final class Mixer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Mixer.class);

    /** How often the rollout driver advances the rollouts. */
    static final long ROLLOUT_TICK_MS = 1000;
    private final MixerSettings settings;
    private final MixerCa ca;
    private final MixerStore store;
    private final TlsServer snake;
    private final ApiHandler api; // served by Felix HTTP (io.fluxrig.mixer.operator), not by a server of ours
    private final ScheduledExecutorService sweeper;
    /** The offline rule's state; used on the sweeper's thread only. */
    private final OfflineRule offline;
    private final Clock clock;
    // --- rack commands and artifacts (Snake part 2) ---
    private final Commands commands;
    private final Artifacts artifacts;
    private final ScheduledExecutorService commandTimer;
    private final Rollouts rollouts;
    private final RolloutServlet rolloutApi; // served beside the API servlet, under /api/rollouts/*
    private final MixerInstruments instruments;
    private final FanOuts fanOuts;
    /** Keeps the NATS servers holding the rack revocations; null when the Mixer signs no NATS credentials. */
    private final RevocationKeeper revocations;

    private Mixer(MixerSettings settings, MixerCa ca, MixerStore store, TlsServer snake, ApiHandler api, Clock clock,
            Commands commands, Artifacts artifacts, ScheduledExecutorService commandTimer, Rollouts rollouts,
            RolloutServlet rolloutApi, FanOuts fanOuts, MixerInstruments instruments, RevocationKeeper revocations) {
        this.revocations = revocations;
        this.instruments = instruments;
        this.fanOuts = fanOuts;
        this.rollouts = rollouts;
        this.rolloutApi = rolloutApi;
        this.commands = commands;
        this.artifacts = artifacts;
        this.commandTimer = commandTimer;
        this.settings = settings;
        this.ca = ca;
        this.store = store;
        this.snake = snake;
        this.api = api;
        this.clock = clock;
        this.offline = new OfflineRule(settings.offlineAfterPeriods(), settings.sweepInterval().toMillis());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fluxrig-mixer-offline"));
        long ms = settings.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a Mixer (blocking).
     *
     * @param s the settings
     * @param clock time source
     * @param operatorTokenSink receives the operator token when it is generated (first start only)
     * @return the running Mixer
     * @throws Exception when any part cannot start; parts already started are closed
     */
    public static Mixer start(MixerSettings s, Clock clock, Consumer<String> operatorTokenSink) throws Exception {
        return start(s, clock, operatorTokenSink, SnakeObserver.NONE);
    }

    /**
     * Starts a Mixer (blocking) whose Snake traffic is observed.
     *
     * @param s the settings
     * @param clock time source
     * @param operatorTokenSink receives the operator token when it is generated (first start only)
     * @param observer sees heartbeats and artifact transfers with their connections
     * @return the running Mixer
     * @throws Exception when any part cannot start; parts already started are closed
     */
    public static Mixer start(MixerSettings s, Clock clock, Consumer<String> operatorTokenSink, SnakeObserver observer)
            throws Exception {
        SecureRandom random = new SecureRandom();
        ObjectMapper json = SnakeCodec.newMapper();
        Files.createDirectories(s.data());
        MixerCa ca = MixerCa.loadOrCreate(s.data(), random);
        OperatorToken operator = OperatorToken.loadOrCreate(s.data(), random, operatorTokenSink);
        ServerIdentity identity = ca.issueServer(s.serverNames(), Duration.ofDays(30));
        MixerStore store = MixerStore.connect(s.nats(), s.natsCredentials(), s.natsCa(), s.kvReplicas(), json);
        // A certificate is backdated by up to a tenth of its lifetime: its end is at most the lifetime after issue.
        NatsIssuer natsIssuer = s.natsTrust() == null ? null : new NatsIssuer(NatsTrust.load(s.natsTrust()), store.natsBucket(),
                store.servers(), s.data().resolve("nats").resolve("mixer-system.creds"), json, clock, s.rackCertLifetime(),
                store.tls());
        TlsServer snake = null;
        SnakeCounts snakeCounts = new SnakeCounts(clock);
        FanOuts fanOuts = null;
        HostNames hostNames = new HostNames(s.serverNames());
        Artifacts artifacts = new Artifacts(s.data().resolve("artifacts"));
        Commands commands = new Commands(store.commandBucket(), store.racks(), json, random, clock,
                natsIssuer == null ? CommandHook.NONE : new WireGrants(natsIssuer, artifacts));
        try {
            commands.watch();
        } catch (Exception e) {
            store.close();
            throw e;
        }
        ScheduledExecutorService commandTimer = Executors.newScheduledThreadPool(2, r -> new Thread(r, "fluxrig-mixer-commands"));
        RevocationKeeper keeper = natsIssuer == null ? null : new RevocationKeeper(natsIssuer, clock);
        if (keeper != null) {
            // A restarted server may come back without the revocations (its configuration's preload
            // newer than them, a new resolver folder): check, and push them again, whenever the
            // connection returns; the keeper also checks on its own (a cluster server may restart
            // while the Mixer stays connected to another).
            store.health().onReconnect(keeper::checkSoon);
        }
        try {
            snake = TlsServer.start("fluxrig-mixer-snake", s.snakeBindAddress(), s.snakePort(), identity, ca.certificate(), true,
                    s.snakeLimits(),
                    new SnakeHandler(ca, store.tokens(), store.racks(), s.rackCertLifetime(), clock, json, commands,
                            artifacts, commandTimer, observer.andThen(snakeCounts), hostNames, s.snakeLimits(), natsIssuer));
            TlsServer snakeRef = snake;
            fanOuts = new FanOuts(store.bucket(FanOuts.BUCKET), store.racks(), commands, json, clock);
            ApiHandler api = new ApiHandler(operator, store.tokens(), store.racks(), ca.hash(), s.advertise(),
                    rack -> revoke(rack, snakeRef, natsIssuer), random, clock, json, commands, () -> health(store, keeper), artifacts,
                    s.artifactMaxBytes(), hostNames, fanOuts);
            Rollouts rollouts = new Rollouts(store.bucket(Rollouts.BUCKET), store.racks(), commands, artifacts, json, random, clock,
                    ROLLOUT_TICK_MS, s.traceSearchUrl());
            return new Mixer(s, ca, store, snake, api, clock, commands, artifacts, commandTimer, rollouts,
                    new RolloutServlet(operator, rollouts, json), fanOuts, new MixerInstruments(snakeCounts, store.racks(),
                            commands, rollouts, store.kvWriteErrors(), snakeRef::connections), keeper);
        } catch (Exception e) {
            commandTimer.shutdownNow();
            if (keeper != null) {
                keeper.close();
            }
            if (fanOuts != null) {
                fanOuts.close();
            }
            if (snake != null) {
                snake.close();
            }
            store.close();
            throw e;
        }
    }

    /**
     * What a revoke does beyond the registry: closes the rack's Snake connections and, when the
     * Mixer signs NATS credentials, revokes the rack's NATS keys (the servers close its NATS
     * connections). A failed NATS push fails the revoke (the operator sees it and retries).
     *
     * @return the number of Snake connections closed
     */
    private static int revoke(String rack, TlsServer snake, NatsIssuer nats) {
        int closed = snake.closeConnectionsOf(rack);
        if (nats != null) {
            try {
                nats.revoke(rack);
            } catch (IOException e) {
                throw new UncheckedIOException("rack " + rack + " is revoked, but its NATS access is not yet: "
                        + e.getMessage(), e);
            }
        }
        return closed;
    }

    /** @return the CA */
    public MixerCa ca() {
        return ca;
    }

    /** @return the stores */
    public MixerStore store() {
        return store;
    }

    /** @return the rack commands (operator side) */
    public Commands commands() {
        return commands;
    }

    /** @return the rollouts */
    public Rollouts rollouts() {
        return rollouts;
    }

    /** @return the fan-out commands */
    public FanOuts fanOuts() {
        return fanOuts;
    }

    /** @return the operator API's rollout servlet, served under {@code /api/rollouts/*} */
    public RolloutServlet rolloutApi() {
        return rolloutApi;
    }

    /** @return the Mixer's metrics, for a meter provider ({@code MixerMetricsComponent}) */
    public MixerInstruments instruments() {
        return instruments;
    }

    /** @return the artifacts racks can fetch */
    public Artifacts artifacts() {
        return artifacts;
    }

    /**
     * @return health and readiness data: {@code ready} (NATS connected, so the registry is
     *         usable), the NATS connection state and, when the Mixer signs rack NATS credentials,
     *         {@code natsRevocations} (whether the servers held the rack revocations at the last
     *         check, {@link RevocationKeeper.Status}); for the API's health endpoint
     */
    public Map<String, Object> health() {
        return health(store, revocations);
    }

    private static Map<String, Object> health(MixerStore store, RevocationKeeper revocations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", store.health().isConnected());
        m.putAll(store.health().snapshot());
        if (!store.replicaMismatches().isEmpty()) {
            m.put("kvReplicaMismatches", store.replicaMismatches());
        }
        if (revocations != null) {
            m.put("natsRevocations", revocations.status().toMap());
        }
        return m;
    }

    /** @return the bound Snake port */
    public int snakePort() {
        return snake.port();
    }

    /** @return the operator API servlet, for the HTTPS endpoint that serves it under {@code /api/*} */
    public ApiHandler api() {
        return api;
    }

    /**
     * @param operatorUrl where the API and the Web Console answer, e.g. {@code https://127.0.0.1:8443}
     * @return the readiness line
     */
    public String readyLine(String operatorUrl) {
        return "fluxrig mixer ready: api " + operatorUrl + " snake "
                + (settings.snakeBindAddress() == null ? "*" : settings.snakeBindAddress()) + ":" + snakePort()
                + " console " + operatorUrl + "/system/console";
    }

    /** The offline rule ({@link OfflineRule}): online, and no heartbeat for N of the rack's own periods while the Mixer ran. */
    void sweep() {
        try {
            long now = clock.millis();
            long stalled = offline.sweepAt(now);
            if (stalled > 0) {
                LOG.warn("the Mixer was stalled for {} ms (a GC pause or a starved process): racks are judged offline only "
                        + "on heartbeats missed from now on", stalled);
            }
            for (RackRecord r : store.racks().list()) {
                if (offline.late(r, now)) {
                    store.racks().update(r.name(), x -> offline.late(x, now) ? x.withState(RackRecord.OFFLINE,
                            "no heartbeat for " + settings.offlineAfterPeriods() + " periods") : x);
                    LOG.warn("rack {} offline: last heartbeat {} ms ago", r.name(), now - r.lastSeen());
                }
            }
        } catch (Exception e) {
            if (sweeper.isShutdown()) {
                return; // interrupted by close(): not a failure
            }
            LOG.warn("offline sweep failed (will retry): {}", e.toString());
        } finally {
            offline.swept(clock.millis());
        }
    }

    @Override
    public void close() throws Exception {
        rollouts.close();
        fanOuts.close();
        sweeper.shutdownNow();
        commandTimer.shutdownNow();
        if (revocations != null) {
            revocations.close();
        }
        commands.close();
        try {
            snake.close();
        } finally {
            store.close();
        }
    }
}
