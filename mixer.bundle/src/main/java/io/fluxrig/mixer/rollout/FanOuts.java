package io.fluxrig.mixer.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.RackRegistry;
import io.fluxrig.snake.api.LogText;
import io.fluxrig.snake.api.fanout.FanOut;
import io.fluxrig.snake.api.fanout.FanOutRack;
import io.fluxrig.snake.api.fanout.FanOutRequest;
import io.fluxrig.snake.api.rollout.RackSelector;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out commands: one command queued for every rack a {@link RackSelector} matches (the rollouts'
 * selector), and a per-rack summary read from the commands themselves. A fan-out is kept in the KV
 * bucket {@value #BUCKET} as its request and the sorted list of rack names it matched; the command
 * of rack R has the id {@link #commandId}(fan-out id, R), so the summary needs no table of ids and
 * queueing it again (after a Mixer restart) never queues twice ({@link Commands#enqueue(String,
 * String, Map, String)} is at most once per id).
 *
 * <p>Threading: {@link #create} stores the record on the caller's thread and hands the queueing to
 * this class's one thread ({@code fluxrig-mixer-fanout}), so an API request for thousands of racks
 * answers at once. That thread takes the fan-outs one after another and queues the racks' commands
 * of one fan-out {@value #PARALLEL} at a time on the {@code fluxrig-mixer-fanout-queue-N} threads
 * ({@link BoundedTasks}): each command is a few KV round trips, so one at a time the round trip,
 * not NATS, set the rate. A rack appears once in a fan-out and the next fan-out starts only once
 * every command of the previous one is queued, so a rack's commands from two fan-outs are queued
 * in the order the fan-outs were created. {@link #get} is thread-safe and reads the command index ({@link Commands#find}),
 * reading a command from NATS only until it is finished (then kept here: a result does not change).
 * {@link #close} stops the thread; a fan-out it had not finished queueing shows the racks left as
 * failed ("no command was queued").
 */
public final class FanOuts implements AutoCloseable {
    /** The KV bucket of fan-outs (key: the fan-out id). */
    public static final String BUCKET = "fluxrig_mixer_fanouts";
    private static final Logger LOG = LoggerFactory.getLogger(FanOuts.class);
    private static final int FINISHED_KEPT = 100_000;
    /** Commands of one fan-out queued at once. */
    public static final int PARALLEL = 16;

    /** What the bucket holds per fan-out. */
    record Stored(String id, String selector, String type, Map<String, String> args, long createdAt, List<String> racks) {
    }

    private final KeyValue kv;
    private final RackRegistry racks;
    private final Commands commands;
    private final ObjectMapper json;
    private final java.time.Clock clock;
    private final ExecutorService queueing = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fluxrig-mixer-fanout");
        t.setDaemon(true);
        return t;
    });
    /** Queues the commands of the fan-out the {@link #queueing} thread is on, {@value #PARALLEL} at a time. */
    private final BoundedTasks perRack = new BoundedTasks(PARALLEL, "fluxrig-mixer-fanout-queue");
    /** Fan-outs this Mixer is still queueing: id to the racks queued so far. */
    private final Map<String, java.util.Set<String>> inProgress = new ConcurrentHashMap<>();
    /** Why a rack's command could not be queued, by command id (this Mixer's queueing only). */
    private final Map<String, String> notQueued = new ConcurrentHashMap<>();
    /** Finished commands by id: a result never changes, so the summary reads it once. */
    private final Map<String, CommandRecord> finished = new ConcurrentHashMap<>();

    /**
     * @param kv the bucket {@value #BUCKET}
     * @param racks the registry (labels, states)
     * @param commands the rack commands
     * @param json the Mixer's mapper
     * @param clock time source
     */
    public FanOuts(KeyValue kv, RackRegistry racks, Commands commands, ObjectMapper json, java.time.Clock clock) {
        this.kv = kv;
        this.racks = racks;
        this.commands = commands;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Selects the racks now, stores the fan-out and starts queueing its commands.
     *
     * @param q the request; its arguments were checked by the caller as for one rack
     * @return the fan-out, every rack queued
     * @throws IllegalArgumentException a bad selector or type, or a selector that matches no rack
     * @throws IOException when NATS fails
     */
    public FanOut create(FanOutRequest q) throws IOException {
        RackSelector selector = RackSelector.parse(q.selector());
        if (q.type() == null || q.type().length() > 64 || !Commands.TYPE.matcher(q.type()).matches()) {
            throw new IllegalArgumentException("type: '" + q.type() + "' must be lower-case words joined by '-', e.g. renew-certificate");
        }
        List<String> selected = new ArrayList<>();
        for (RackRecord r : racks.list()) { // sorted by name
            if (!RackRecord.REVOKED.equals(r.state()) && selector.matches(r.name(), r.labels())) {
                selected.add(r.name());
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("selector: '" + selector + "' matches no registered, unrevoked rack");
        }
        Stored s = new Stored(commands.newId(), selector.toString(), q.type(), q.args(), clock.millis(), List.copyOf(selected));
        try {
            kv.create(s.id(), json.writeValueAsBytes(s));
        } catch (JetStreamApiException e) {
            throw new IOException("storing fan-out " + s.id() + " failed: " + e.getMessage(), e);
        }
        inProgress.put(s.id(), ConcurrentHashMap.newKeySet());
        queueing.execute(() -> queue(s));
        LOG.info("fan-out {} ({}) to '{}': {} rack(s)", s.id(), LogText.escape(s.type()), LogText.escape(s.selector()),
                selected.size());
        return summary(s, null);
    }

    /** Queues each rack's command (on the fan-out thread, {@value #PARALLEL} at a time). */
    private void queue(Stored s) {
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<String> queuedSoFar = inProgress.getOrDefault(s.id(), ConcurrentHashMap.newKeySet());
        try {
            perRack.run(s.racks(), rack -> {
                String id = commandId(s.id(), rack);
                try {
                    commands.enqueue(rack, s.type(), s.args(), id);
                } catch (Commands.Refused e) {
                    notQueued.put(id, e.getMessage());
                    refused.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("fan-out {}: the command of rack {} was not queued: {}", s.id(), rack, LogText.escape(String.valueOf(e)));
                    notQueued.put(id, "not queued: " + e.getMessage());
                    refused.incrementAndGet();
                }
                queuedSoFar.add(rack);
            });
            LOG.info("fan-out {}: {} command(s) queued, {} refused", s.id(), s.racks().size() - refused.get(), refused.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close(): the racks left show as not queued
        } finally {
            inProgress.remove(s.id());
        }
    }

    /**
     * @param id a fan-out id
     * @param states summary states to list (the counts cover every rack), null or empty for all
     * @return the fan-out's summary now, empty when there is none
     * @throws IOException when NATS fails
     */
    public Optional<FanOut> get(String id, Collection<String> states) throws IOException {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        KeyValueEntry e;
        try {
            e = kv.get(id);
        } catch (JetStreamApiException ex) {
            throw new IOException("reading fan-out " + id + " failed: " + ex.getMessage(), ex);
        }
        if (e == null || e.getValue() == null) {
            return Optional.empty();
        }
        return Optional.of(summary(json.readValue(e.getValue(), Stored.class), states));
    }

    private FanOut summary(Stored s, Collection<String> states) throws IOException {
        Map<String, String> rackStates = new java.util.HashMap<>();
        for (RackRecord r : racks.list()) {
            rackStates.put(r.name(), r.state());
        }
        java.util.Set<String> queuedSoFar = inProgress.get(s.id());
        Map<String, Integer> counts = new LinkedHashMap<>();
        FanOut.STATES.forEach(x -> counts.put(x, 0));
        List<FanOutRack> listed = new ArrayList<>();
        for (String rack : s.racks()) {
            String cid = commandId(s.id(), rack);
            FanOutRack r = rack(rack, cid, queuedSoFar, rackStates.get(rack));
            counts.merge(r.state(), 1, Integer::sum);
            if (states == null || states.isEmpty() || states.contains(r.state())) {
                listed.add(r);
            }
        }
        return new FanOut(s.id(), s.selector(), s.type(), s.args(), s.createdAt(), s.racks().size(), counts, listed);
    }

    private FanOutRack rack(String rack, String cid, java.util.Set<String> queuedSoFar, String rackState) throws IOException {
        CommandRecord c = finished.get(cid);
        if (c == null) {
            if (queuedSoFar != null && !queuedSoFar.contains(rack)) {
                return new FanOutRack(rack, cid, FanOut.QUEUED, "being queued");
            }
            c = commands.find(rack, cid).orElse(null);
            if (c == null) {
                String why = notQueued.get(cid);
                return new FanOutRack(rack, cid, FanOut.FAILED, why != null ? why : "no command was queued for this rack");
            }
            if (c.finished() && finished.size() < FINISHED_KEPT) {
                finished.put(cid, c);
            }
        }
        if (c.finished()) {
            String detail = c.detail();
            return CommandRecord.DONE.equals(c.state()) ? new FanOutRack(rack, cid, FanOut.DONE, detail)
                    : new FanOutRack(rack, cid, FanOut.FAILED, c.state() + (detail == null ? "" : ": " + detail));
        }
        if (!RackRecord.ONLINE.equals(rackState)) {
            return new FanOutRack(rack, cid, FanOut.OFFLINE, "rack " + (rackState == null ? "unregistered" : rackState)
                    + (c.deliveries() > 0 ? "; delivered " + c.deliveries() + " time(s), no result yet" : "; not delivered yet"));
        }
        return c.deliveries() > 0 ? new FanOutRack(rack, cid, FanOut.DELIVERED, "delivered " + c.deliveries() + " time(s)")
                : new FanOutRack(rack, cid, FanOut.QUEUED, null);
    }

    /**
     * @param fanOut a fan-out id
     * @param rack one of its racks
     * @return the id of that rack's command: the first 32 hex digits of SHA-256 of {@code fanOut/rack}
     */
    static String commandId(String fanOut, String rack) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((fanOut + "/" + rack).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Stops the queueing threads. */
    @Override
    public void close() {
        queueing.shutdownNow();
        perRack.close();
    }
}
