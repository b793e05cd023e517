package io.fluxrig.mixer.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.RackRegistry;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.release.SignedRelease;
import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import io.fluxrig.snake.api.rollout.RolloutTraces;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mixer's rollouts: kept in the KV bucket {@value #BUCKET} (one record per rollout, written
 * with compare-and-set), driven by one thread ({@code fluxrig-mixer-rollouts}) that advances every
 * unfinished rollout each tick through the {@link RolloutEngine}, queueing its commands with
 * {@link Commands} and reading racks from the {@link RackRegistry}. The state lives in the KV, so a
 * restarted Mixer (or another Mixer on the same NATS) carries on where it stopped.
 *
 * <p>Threading: the operator API calls {@link #create}, {@link #list}, {@link #get} and
 * {@link #control} on request threads; the driver thread calls {@link #tick}. Both write with
 * compare-and-set: a write that loses is retried (operator) or left to the next tick (driver).
 *
 * <p>Single writer per step: a tick does not queue while it advances; it picks each new step's
 * command id, writes the rollout (holding those ids) with compare-and-set on the revision it
 * read, and queues the commands only when that write won, each under its id at most once
 * ({@link Commands#enqueue(String, String, Map, String)}). Two Mixers ticking the same rollout
 * therefore send each step once: the loser's plan is dropped. A pause or abort withdraws the
 * queued steps racks have not taken yet, reserving an id not queued yet so that a tick that won
 * just before cannot queue it afterwards.
 */
public final class Rollouts implements AutoCloseable {
    /** The KV bucket. */
    public static final String BUCKET = "fluxrig_mixer_rollouts";
    private static final Logger LOG = LoggerFactory.getLogger(Rollouts.class);

    private final KeyValue kv;
    /** Rollouts per state as the driver's last tick read them (for the metrics); written by the driver only. */
    private volatile Map<String, Long> states = Map.of();
    private final RackRegistry racks;
    private final Commands commands;
    private final ObjectMapper json;
    private final SecureRandom random;
    private final Clock clock;
    private final ScheduledExecutorService driver;
    private final Artifacts artifacts;
    /** The trace backend's search URL template ({@link RolloutTraces#of}); empty: no link. */
    private final String traceSearchUrl;

    /**
     * @param kv the bucket {@value #BUCKET}
     * @param racks the registry (selector, health)
     * @param commands where the steps are queued
     * @param artifacts the Mixer's artifact store (a rollout's artifacts must be there)
     * @param json the Mixer's mapper
     * @param random ids
     * @param clock time
     * @param tickMillis how often the driver advances the rollouts; 0 for no driver (tests call {@link #tick})
     */
    public Rollouts(KeyValue kv, RackRegistry racks, Commands commands, Artifacts artifacts, ObjectMapper json, SecureRandom random,
            Clock clock, long tickMillis) {
        this(kv, racks, commands, artifacts, json, random, clock, tickMillis, "");
    }

    /**
     * As above, with the trace backend's search URL template ({@link RolloutTraces#of}; empty: no link).
     */
    public Rollouts(KeyValue kv, RackRegistry racks, Commands commands, Artifacts artifacts, ObjectMapper json, SecureRandom random,
            Clock clock, long tickMillis, String traceSearchUrl) {
        this.traceSearchUrl = traceSearchUrl == null ? "" : traceSearchUrl;
        this.kv = kv;
        this.artifacts = artifacts;
        this.racks = racks;
        this.commands = commands;
        this.json = json;
        this.random = random;
        this.clock = clock;
        this.driver = tickMillis <= 0 ? null : Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fluxrig-mixer-rollouts"));
        if (driver != null) {
            driver.scheduleWithFixedDelay(this::tickQuietly, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * @param request what to roll out
     * @return the new rollout
     * @throws IllegalArgumentException naming the field when the request is refused
     * @throws IOException when NATS fails
     */
    public Rollout create(RolloutRequest request) throws IOException {
        byte[] raw = new byte[8];
        random.nextBytes(raw);
        String id = HexFormat.of().formatHex(raw);
        for (RolloutStep s : request.steps()) {
            if (s.release() != null && s.release().length() > 4096) {
                throw new IllegalArgumentException("steps: the release of " + s.name() + " is longer than 4096 characters");
            }
        }
        Rollout r = RolloutEngine.create(id, request, fleet(java.util.Set.of()), clock.millis());
        List<RackRecord> selected = new ArrayList<>(); // with inventories: their release trust
        for (String name : r.racks().keySet()) {
            racks.get(name).ifPresent(selected::add);
        }
        ArtifactCheck.check(r, artifacts, selected);
        try {
            kv.create(id, json.writeValueAsBytes(r));
        } catch (JetStreamApiException e) {
            throw new IOException("storing rollout " + id + " failed: " + e.getMessage(), e);
        }
        LOG.info("rollout {} created: {} to '{}' ({})", id, describe(request), request.selector(), r.reason());
        return r;
    }

    /**
     * @return rollouts per state as the driver's last tick read them (at most a tick old), without
     *     a KV read: what the Mixer's metrics show
     */
    public Map<String, Long> statesAtLastTick() {
        return states;
    }

    /** @return every rollout, newest first */
    public List<Rollout> list() throws IOException {
        List<Rollout> out = new ArrayList<>();
        try {
            for (String k : kv.keys()) {
                read(k).ifPresent(e -> out.add(e.rollout()));
            }
        } catch (JetStreamApiException e) {
            throw new IOException("listing rollouts failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing rollouts", e);
        }
        out.sort(Comparator.comparingLong(Rollout::createdAt).reversed());
        return out;
    }

    /** @return where the traces of the gears {@code r} changed are, as of now (the search link when configured) */
    public RolloutTraces traces(Rollout r) {
        return RolloutTraces.of(r, traceSearchUrl, clock.millis());
    }

    /** @param id a rollout id @return it, if it exists */
    public Optional<Rollout> get(String id) throws IOException {
        return id == null || !id.matches("[0-9a-f]{16}") ? Optional.empty() : read(id).map(Stored::rollout);
    }

    /**
     * @param id a rollout
     * @param action pause, resume, abort or rollback (the operator's rollback of every rack the
     *        rollout changed, also once it is done: {@link RolloutEngine#rollback})
     * @return the rollout after the change, empty when there is no such rollout
     * @throws IllegalStateException when the action does not apply (ended, not paused, rolled back already)
     */
    public Optional<Rollout> control(String id, String action) throws IOException {
        for (int i = 0; i < 10; i++) {
            Optional<Stored> s = get(id).isPresent() ? read(id) : Optional.empty();
            if (s.isEmpty()) {
                return Optional.empty();
            }
            Rollout next = RolloutEngine.control(s.get().rollout(), action, clock.millis(), (rack, command) ->
                    commands.cancel(rack, command, "withdrawn: rollout " + id + " " + (Rollout.ROLLBACK.equals(action) ? "rolled back"
                            : action + (action.endsWith("e") ? "d" : "ed")), true)
                            == Commands.Cancelled.CANCELLED);
            if (write(next, s.get().revision())) {
                LOG.info("rollout {} {}: {}", id, action, next.reason());
                return Optional.of(next);
            }
        }
        throw new IOException("rollout " + id + " keeps changing concurrently; " + action + " abandoned");
    }

    /** Advances every unfinished rollout once (the driver's tick). */
    public void tick() throws IOException {
        List<Rollout> all = list();
        Map<String, Long> byState = new java.util.TreeMap<>();
        all.forEach(r -> byState.merge(r.state(), 1L, Long::sum));
        states = byState;
        java.util.Set<String> soaking = new java.util.HashSet<>();
        for (Rollout r : all) {
            if (!r.finished()) {
                r.racks().forEach((rack, p) -> {
                    if (Rollout.RackProgress.SOAKING.equals(p.state())) {
                        soaking.add(rack);
                    }
                });
            }
        }
        List<RolloutEngine.RackView> fleet = fleet(soaking);
        for (Rollout r : all) {
            if (r.finished()) {
                continue;
            }
            Optional<Stored> s = read(r.id());
            if (s.isEmpty() || s.get().rollout().finished()) {
                continue;
            }
            Rollout before = s.get().rollout();
            List<Planned> planned = new ArrayList<>();
            Map<String, Planned> held = held(before);
            Rollout after = RolloutEngine.advance(before, fleet, id -> command(r.id(), id, held.get(id)),
                    RolloutEngine.busy(all, r.id()), (rack, step) -> {
                String id = commands.newId();
                planned.add(new Planned(rack, step, id));
                return id;
            }, clock.millis());
            if (after == before || !write(after, s.get().revision())) {
                continue; // nothing changed, or another writer won: its plan is the one that is queued
            }
            for (Planned p : planned) {
                queue(r.id(), p);
            }
            if (!after.state().equals(before.state())) {
                LOG.info("rollout {} {}: {}", r.id(), after.state(), after.reason());
            }
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (Exception e) {
            LOG.warn("rollout tick failed (next tick retries): {}", e.toString());
        }
    }

    /**
     * A step's command as the store has it. When the rollout record holds the step's id but the
     * command store has no record under it, queueing failed after the record was written (NATS
     * lost at that moment, a credential hook that could not store its state): it is queued again
     * now, under the same id, so at most once however many Mixers retry, and a pause or abort that
     * reserved the id first still wins ({@link Commands#enqueue(String, String, Map, String)}).
     *
     * @param held the step the record holds under this id, or null when it is not one this tick may send
     */
    private RolloutEngine.CommandView command(String rollout, String id, Planned held) {
        try {
            Optional<io.fluxrig.mixer.command.CommandRecord> c = commands.status(id);
            if (c.isEmpty() && held != null) {
                requeue(rollout, held);
            }
            return c.map(x -> new RolloutEngine.CommandView(x.state(), x.detail())).orElse(null);
        } catch (IOException e) {
            return null; // unknown this tick: treated as pending, the deadline still runs
        }
    }

    /**
     * @return the steps the record holds in flight and may still send, by command id: a deploying
     *     rack's step while the rollout runs, a rolling-back rack's step always
     */
    private static Map<String, Planned> held(Rollout r) {
        Map<String, Planned> out = new java.util.HashMap<>();
        r.racks().forEach((rack, p) -> {
            boolean back = Rollout.RackProgress.ROLLING_BACK.equals(p.state());
            boolean deploying = Rollout.RackProgress.DEPLOYING.equals(p.state()) && Rollout.RUNNING.equals(r.state());
            List<RolloutStep> steps = back ? r.request().rollbackSteps() : r.request().steps();
            if (p.command() != null && (back || deploying) && p.step() >= 0 && p.step() < steps.size()) {
                out.put(p.command(), new Planned(rack, steps.get(p.step()), p.command()));
            }
        });
        return out;
    }

    /** Queues a held step again; a failure is left to the next tick (the rack's deadline still runs). */
    private void requeue(String rollout, Planned p) {
        try {
            send(rollout, p.rack(), p.step(), p.id());
            LOG.info("rollout {}: {} {} for rack {} queued (command {}; its first queueing had failed)", rollout, p.step().type(),
                    p.step().name(), p.rack(), p.id());
        } catch (IOException e) {
            LOG.debug("rollout {}: {} {} for rack {} still cannot be queued: {}", rollout, p.step().type(), p.step().name(),
                    p.rack(), e.getMessage());
        }
    }

    /** A step the engine chose to send, under the id the rollout record holds. */
    private record Planned(String rack, RolloutStep step, String id) {
    }

    /**
     * Queues a step after the rollout record holding its id was written. Not queued (NATS down,
     * the rack revoked meanwhile): the next tick finds the id missing from the command store and
     * queues it again ({@link #command}); a rack that cannot get it times out at its deadline.
     */
    private void queue(String rollout, Planned p) {
        try {
            send(rollout, p.rack(), p.step(), p.id());
        } catch (IOException e) {
            LOG.warn("rollout {}: {} {} for rack {} could not be queued (retried each tick until its deadline): {}", rollout,
                    p.step().type(), p.step().name(), p.rack(), e.getMessage());
        }
    }

    /** Queues a step under its id, naming the rollout (the rack records it with the change, for its spans). */
    private void send(String rollout, String rack, RolloutStep step, String id) throws IOException {
        Map<String, String> args = new LinkedHashMap<>();
        args.put(CommandType.DIGEST, step.digest());
        args.put(CommandType.ROLLOUT, rollout);
        if (step.name() != null) {
            args.put(CommandType.NAME, step.name());
        }
        if (step.release() != null) {
            args.put(SignedRelease.ARG, step.release());
        }
        try {
            commands.enqueue(rack, step.type(), args, id); // false: queued before, or withdrawn first
        } catch (Commands.Refused e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The registry as the engine sees it: every unrevoked rack, from the registry's view (which
     * holds no inventories), and for the racks in a soak their health from their inventory, read
     * from the store, and their latest heartbeat summary (only the health gate needs them, and
     * only for them).
     *
     * @param soaking the racks some rollout is soaking now
     */
    List<RolloutEngine.RackView> fleet(java.util.Set<String> soaking) throws IOException {
        List<RolloutEngine.RackView> out = new ArrayList<>();
        for (RackRecord r : racks.list()) {
            if (RackRecord.REVOKED.equals(r.state())) {
                continue;
            }
            JsonNode inventory = soaking.contains(r.name()) ? racks.get(r.name()).map(RackRecord::inventory).orElse(null) : null;
            out.add(new RolloutEngine.RackView(r.name(), r.labels(), RackRecord.ONLINE.equals(r.state()), r.lastSeen(),
                    healthProblem(inventory), notReady(inventory), inventory == null ? null : racks.summaries().of(r),
                    gearBundles(inventory)));
        }
        return out;
    }

    /**
     * @param rack a rack
     * @return what fails its health gate now, from the inventory it last reported, or null when
     *         nothing does (or it is not registered)
     */
    public String health(String rack) throws IOException {
        return healthProblem(racks.get(rack).map(RackRecord::inventory).orElse(null));
    }

    /**
     * A gear instance that failed fails a rack's health gate (the rack reports a gear as
     * {@code bound} to its service when it runs, {@code waiting} while its service is not there
     * yet, or the reason its service failed to open).
     */
    static String healthProblem(JsonNode inventory) {
        if (inventory == null) {
            return null;
        }
        for (JsonNode g : inventory.path("gears")) {
            String state = g.path("state").asText("");
            if (!state.isEmpty() && !UP.contains(state) && !WAITING.equals(state)) {
                return "gear " + g.path("name").asText("?") + " is " + state;
            }
        }
        return null;
    }

    /** @return each gear instance's bound bundle ({@code symbolicName version}) from an inventory, empty without one */
    static Map<String, String> gearBundles(JsonNode inventory) {
        Map<String, String> out = new LinkedHashMap<>();
        if (inventory != null) {
            for (JsonNode g : inventory.path("gears")) {
                out.put(g.path("name").asText("?"), g.path("bundle").asText(""));
            }
        }
        return out;
    }

    /** Gear states of a running instance: {@code bound} (what racks report), {@code running} (older racks). */
    private static final java.util.Set<String> UP = java.util.Set.of("bound", "running");
    /** The gear state of an instance whose service is not there yet (right after a change): not ready, not failed. */
    private static final String WAITING = "waiting";

    /**
     * What holds a soak without failing it: a gear instance still waiting for its service, or a
     * wire transport not connected (it reconnects by itself: a connection NATS closed comes back
     * within a reconnect wait). Either ends the rack as timed out at the progress deadline.
     *
     * @return the first such thing, or null when none is
     */
    static String notReady(JsonNode inventory) {
        if (inventory == null) {
            return null;
        }
        for (JsonNode g : inventory.path("gears")) {
            if (WAITING.equals(g.path("state").asText(""))) {
                return "gear " + g.path("name").asText("?") + " is waiting for its service";
            }
        }
        JsonNode wire = inventory.path("wireTransport");
        if (wire.isObject() && !wire.path("connected").asBoolean(true)) {
            return "wire transport disconnected: " + wire.path("detail").asText("");
        }
        return null;
    }

    private record Stored(Rollout rollout, long revision) {
    }

    private Optional<Stored> read(String id) throws IOException {
        try {
            KeyValueEntry e = kv.get(id);
            return e == null || e.getValue() == null ? Optional.empty()
                    : Optional.of(new Stored(json.readValue(e.getValue(), Rollout.class), e.getRevision()));
        } catch (JetStreamApiException e) {
            throw new IOException("reading rollout " + id + " failed: " + e.getMessage(), e);
        }
    }

    private boolean write(Rollout r, long revision) throws IOException {
        try {
            kv.update(r.id(), json.writeValueAsBytes(r), revision);
            return true;
        } catch (JetStreamApiException conflict) {
            return false; // changed meanwhile: the caller reads again
        }
    }

    private static String describe(RolloutRequest q) {
        return String.join(", ", q.steps().stream().map(s -> s.type() + " " + s.name()).toList());
    }

    @Override
    public void close() {
        if (driver != null) {
            driver.shutdownNow();
        }
    }
}
