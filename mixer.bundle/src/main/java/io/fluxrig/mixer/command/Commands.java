package io.fluxrig.mixer.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.store.BucketWatch;
import io.fluxrig.mixer.store.RackRecord;
import io.fluxrig.mixer.store.RackRegistry;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.RackNames;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Commands for racks, the operator-facing part: {@link #enqueue}, {@link #status}, {@link #list}.
 * The Mixer never connects to a rack: a rack holds a long poll open on its Snake connection and
 * receives its pending commands there; it reports each result, which is stored with the command.
 * A command stays pending (and is delivered again on the rack's next poll) until a result arrives;
 * the rack's ledger makes a repeated delivery harmless.
 *
 * <p>The Mixer accepts any well-formed type: the rack decides what it can do and refuses an
 * unknown type with a reason, so a newer Mixer can queue commands an older rack reports it cannot run.
 *
 * <p>A rack's pending commands ({@link #pending}, asked on every poll) come from an index in
 * memory kept by a watch on the bucket ({@link #watch}) and by this Mixer's own writes, not from
 * a key listing per poll (a listing is a JetStream consumer: thousands of racks polling would
 * create thousands of consumers a minute). A command queued by another Mixer on the same NATS
 * reaches the index, and wakes the rack's held poll, within the watch's latency.
 *
 * <p>Thread-safe: records change by compare-and-set on the KV revision; the index is updated
 * per key by revision (an older revision never replaces a newer one); listeners (the waiting
 * long polls of this Mixer) are called on the enqueuing thread or the watch's dispatcher thread
 * and must only hand work off.
 */
public final class Commands implements AutoCloseable {
    /** Command types are lower-case words joined by '-'. */
    public static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final int MAX_ARGS = 32;
    private static final int MAX_ARG = 4096;
    private static final int CAS_ATTEMPTS = 10;
    /** The command that renews a rack's certificate and NATS credential. */
    private static final String RENEW = CommandType.RENEW_CERTIFICATE.wire();

    private final KeyValue kv;
    private final RackRegistry racks;
    private final ObjectMapper json;
    private final SecureRandom random;
    private final Clock clock;
    private final CommandHook hook;
    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
    /** The revision last applied to the index, by key. */
    private final Map<String, Long> revisions = new ConcurrentHashMap<>();
    /** Commands without a result, by rack, then by id. */
    private final Map<String, Map<String, CommandRecord>> unfinished = new ConcurrentHashMap<>();
    private volatile AutoCloseable watch;
    private final CommandCounts counts = new CommandCounts();

    /**
     * @param kv the bucket {@code fluxrig_mixer_commands}
     * @param racks the registry (a command needs a registered, unrevoked rack)
     * @param json the Mixer's mapper
     * @param random ids
     * @param clock time source
     */
    public Commands(KeyValue kv, RackRegistry racks, ObjectMapper json, SecureRandom random, Clock clock) {
        this(kv, racks, json, random, clock, CommandHook.NONE);
    }

    /**
     * @param hook asked before each command is stored and after each result (see {@link CommandHook})
     */
    public Commands(KeyValue kv, RackRegistry racks, ObjectMapper json, SecureRandom random, Clock clock, CommandHook hook) {
        this.hook = hook;
        this.kv = kv;
        this.racks = racks;
        this.json = json;
        this.random = random;
        this.clock = clock;
    }

    /** A command the Mixer will not queue; the message says which field and why. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    /**
     * @param rack a registered rack
     * @param type the command type
     * @param args string arguments, may be empty
     * @return the new command's id
     * @throws Refused unknown or revoked rack, malformed type or arguments
     * @throws IOException when NATS fails
     */
    public String enqueue(String rack, String type, Map<String, String> args) throws Refused, IOException {
        if (!RackNames.valid(rack)) {
            throw new Refused("rack: " + RackNames.problem(rack));
        }
        return enqueue(rack, type, args, this::newId);
    }

    /** @return a fresh command id (32 hex digits), for {@link #enqueue(String, String, Map, String)} */
    public String newId() {
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    /**
     * Queues a command under an id chosen beforehand ({@link #newId}), at most once: when a
     * record with that id exists already (queued before, or cancelled before it was queued: see
     * {@link #cancel}), nothing is written. A caller that first records the id in its own state
     * with compare-and-set (a rollout step) and queues only after winning that write sends each
     * step once, however many Mixers race.
     *
     * @return whether this call queued it
     * @throws Refused unknown or revoked rack, malformed type or arguments
     * @throws IOException when NATS fails
     */
    public boolean enqueue(String rack, String type, Map<String, String> args, String id) throws Refused, IOException {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            throw new Refused("id: '" + id + "' must be 32 lower-case hex digits");
        }
        if (!RackNames.valid(rack)) {
            throw new Refused("rack: " + RackNames.problem(rack));
        }
        if (entry(key(rack, id)) != null) {
            return false;
        }
        String queued = enqueue(rack, type, args, () -> id);
        return queued != null;
    }

    private String enqueue(String rack, String type, Map<String, String> args, java.util.function.Supplier<String> ids)
            throws Refused, IOException {
        RackRecord r = racks.get(rack).orElseThrow(() -> new Refused("rack: no rack '" + rack + "'"));
        if (RackRecord.REVOKED.equals(r.state())) {
            throw new Refused("rack: '" + rack + "' is revoked");
        }
        if (type == null || type.length() > 64 || !TYPE.matcher(type).matches()) {
            throw new Refused("type: '" + type + "' must be lower-case words joined by '-', e.g. renew-certificate");
        }
        Map<String, String> a = args == null ? Map.of() : Map.copyOf(args);
        if (a.size() > MAX_ARGS || a.entrySet().stream().anyMatch(e -> e.getKey().length() > 64 || e.getValue().length() > MAX_ARG)) {
            throw new Refused("args: at most " + MAX_ARGS + " entries, names up to 64 and values up to " + MAX_ARG + " characters");
        }
        if (hook.queuing(rack, type, a)) {
            store(rack, RENEW, Map.of(), clock.millis() - 1); // ahead of the command that needs the renewed credential
        }
        String id = ids.get();
        return create(new CommandRecord(id, rack, type, a, CommandRecord.PENDING, clock.millis(), 0, 0, 0, null, 0)) ? id : null;
    }

    private String store(String rack, String type, Map<String, String> a, long createdAt) throws IOException {
        String id = newId();
        create(new CommandRecord(id, rack, type, a, CommandRecord.PENDING, createdAt, 0, 0, 0, null, 0));
        return id;
    }

    /** Writes a new record; @return false when its key exists already. */
    private boolean create(CommandRecord c) throws IOException {
        try {
            index(key(c.rack(), c.id()), c, kv.create(key(c.rack(), c.id()), json.writeValueAsBytes(c)));
        } catch (JetStreamApiException e) {
            if (entry(key(c.rack(), c.id())) != null) {
                return false; // created meanwhile (another Mixer, or a cancel before the queueing)
            }
            throw new IOException("storing command " + c.id() + " failed: " + e.getMessage(), e);
        }
        if (!c.finished()) {
            counts.queued();
            wake(c.rack());
        }
        return true;
    }

    /** What {@link #cancel} found. */
    public enum Cancelled {
        /** Withdrawn now (or before): the rack never gets it. */
        CANCELLED,
        /** Already handed to the rack, which may be running it: its result will be recorded. */
        TAKEN,
        /** The rack already reported its result. */
        FINISHED,
        /** No such command for that rack. */
        UNKNOWN
    }

    /**
     * Withdraws a command the rack has not taken yet (never delivered). The check and the write
     * are one compare-and-set with the delivery's own write, so a command is either delivered or
     * cancelled, never both.
     *
     * @param rack the rack
     * @param id the command
     * @param why stored as the command's detail
     * @param reserve when there is no such command yet, write a cancelled record under the id so
     *        that a later {@link #enqueue(String, String, Map, String)} with it queues nothing
     *        (a rollout cancelling a step another Mixer is about to queue)
     * @return what it found
     */
    public Cancelled cancel(String rack, String id, String why, boolean reserve) throws IOException {
        if (!RackNames.valid(rack) || id == null || !id.matches("[0-9a-f]{32}")) {
            return Cancelled.UNKNOWN;
        }
        Cancelled[] found = {Cancelled.UNKNOWN};
        Optional<CommandRecord> after = update(rack, id, x -> {
            found[0] = CommandRecord.CANCELLED.equals(x.state()) ? Cancelled.CANCELLED : x.finished() ? Cancelled.FINISHED
                    : x.deliveries() > 0 ? Cancelled.TAKEN : Cancelled.CANCELLED;
            return found[0] == Cancelled.CANCELLED && !x.finished() ? x.cancelled(why, clock.millis()) : x;
        });
        if (after.isEmpty() && reserve) {
            CommandRecord tomb = new CommandRecord(id, rack, "cancelled", Map.of(), CommandRecord.CANCELLED, clock.millis(), 0, 0,
                    clock.millis(), why, 0);
            return create(tomb) ? Cancelled.CANCELLED : cancel(rack, id, why, false);
        }
        return after.isEmpty() ? Cancelled.UNKNOWN : found[0];
    }

    /**
     * @param id a command id
     * @return the command, if it exists
     * @throws IOException when NATS fails
     */
    public Optional<CommandRecord> status(String id) throws IOException {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        for (String k : keys("*." + id)) {
            return read(k);
        }
        return Optional.empty();
    }

    /**
     * @param rack a rack name
     * @return its commands, oldest first
     * @throws IOException when NATS fails
     */
    public List<CommandRecord> list(String rack) throws IOException {
        List<CommandRecord> out = new ArrayList<>();
        if (!RackNames.valid(rack)) {
            return out;
        }
        for (String k : keys(hex(rack) + ".*")) {
            read(k).ifPresent(out::add);
        }
        out.sort((a, b) -> Long.compare(a.createdAt(), b.createdAt()));
        return out;
    }

    /**
     * Starts the watch that keeps the index of unfinished commands, and waits until it holds the
     * bucket's content (blocking: called from the Mixer's start, never from an activation).
     *
     * @throws IOException when the watch cannot start or the content does not arrive in 60 s
     */
    public void watch() throws IOException {
        watch = BucketWatch.start(kv, "the command bucket", this::watched);
    }

    private void watched(KeyValueEntry e) {
        if (e.getOperation() != KeyValueOperation.PUT || e.getValue() == null) {
            return; // commands are never deleted by the Mixer; a purge leaves the index to the next write
        }
        CommandRecord c;
        try {
            c = json.readValue(e.getValue(), CommandRecord.class);
        } catch (IOException ex) {
            return; // not a command record: nothing to deliver
        }
        if (index(e.getKey(), c, e.getRevision()) && !c.finished()) {
            wake(c.rack()); // queued (or redelivered) by another Mixer, or our own write seen again: polls re-check
        }
    }

    /** Applies a record at a revision to the index; @return whether it was newer than what the index had. */
    private boolean index(String key, CommandRecord c, long revision) {
        boolean[] newer = {false};
        revisions.compute(key, (k, had) -> {
            if (had != null && had >= revision) {
                return had;
            }
            newer[0] = true;
            if (c.finished()) {
                unfinished.computeIfPresent(c.rack(), (r, m) -> {
                    m.remove(c.id());
                    return m.isEmpty() ? null : m;
                });
            } else {
                unfinished.computeIfAbsent(c.rack(), r -> new ConcurrentHashMap<>()).put(c.id(), c);
            }
            return revision;
        });
        return newer[0];
    }

    private void wake(String rack) {
        for (Runnable l : listeners.getOrDefault(rack, List.of())) {
            l.run();
        }
    }

    /** @return the rack's commands without a result yet, oldest first (from the index once {@link #watch} ran) */
    public List<CommandRecord> pending(String rack) throws IOException {
        if (watch == null) {
            return list(rack).stream().filter(c -> !c.finished()).toList();
        }
        Map<String, CommandRecord> m = unfinished.get(rack);
        if (m == null) {
            return List.of();
        }
        List<CommandRecord> out = new ArrayList<>(m.values());
        out.sort((a, b) -> Long.compare(a.createdAt(), b.createdAt()));
        return out;
    }

    /**
     * One command of a rack: from the index of unfinished commands when it is there (no NATS
     * round trip), else read from the bucket.
     *
     * @param rack the rack
     * @param id the command id
     * @return the command, empty when the rack has no such command
     * @throws IOException when NATS fails
     */
    public Optional<CommandRecord> find(String rack, String id) throws IOException {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        if (watch != null) {
            CommandRecord c = unfinished.getOrDefault(rack, Map.of()).get(id);
            if (c != null) {
                return Optional.of(c);
            }
        }
        return RackNames.valid(rack) ? read(key(rack, id)) : Optional.empty();
    }

    /** @return how many commands have no result yet, over all racks */
    public int unfinishedCount() {
        return unfinished.values().stream().mapToInt(Map::size).sum();
    }

    /** Stops the watch. */
    @Override
    public void close() {
        AutoCloseable w = watch;
        if (w != null) {
            try {
                w.close();
            } catch (Exception e) {
                // closing on shutdown: the connection goes next
            }
        }
    }

    /** @return what this Mixer's commands did since it started (for the metrics) */
    public CommandCounts counts() {
        return counts;
    }

    /**
     * Records a delivery of each command (count and time), unless it was cancelled or finished
     * meanwhile.
     *
     * @return the commands to hand to the rack: those still pending when their delivery was recorded
     */
    public List<CommandRecord> delivered(List<CommandRecord> delivered) throws IOException {
        long now = clock.millis();
        List<CommandRecord> out = new ArrayList<>();
        for (CommandRecord c : delivered) {
            update(c.rack(), c.id(), x -> x.finished() ? x : x.delivered(now)).filter(x -> !x.finished()).ifPresent(out::add);
        }
        counts.delivered(out.size());
        return out;
    }

    /**
     * Stores a rack's result. A repeated report (after a redelivery) counts but keeps the first
     * finish time.
     *
     * @return the command after the change, empty when this rack has no such command
     */
    public Optional<CommandRecord> complete(String rack, String id, String status, String detail) throws IOException {
        Optional<CommandRecord> after = update(rack, id, x -> x.result(status, detail, clock.millis()));
        if (after.isPresent() && after.get().finished() && after.get().reports() == 1) {
            counts.result(after.get().state());
        }
        if (after.isPresent() && after.get().finished() && hook.finished(after.get(), pending(rack))) {
            try {
                store(rack, RENEW, Map.of(), clock.millis());
            } catch (IOException e) {
                // the result is stored; the credential follows at the rack's next renewal
                org.slf4j.LoggerFactory.getLogger(Commands.class).warn("rack {}: queueing the renewal that narrows its NATS"
                        + " credential failed ({}); it follows with the next renewal", rack, e.getMessage());
            }
        }
        return after;
    }

    /**
     * Delivers a finished command again (e.g. when its result was lost or is doubted). The rack
     * answers from its ledger: the command's effect does not happen twice. To run an action
     * again, enqueue a new command.
     *
     * @return the command after the change, empty when it does not exist
     */
    public Optional<CommandRecord> redeliver(String id) throws IOException {
        Optional<CommandRecord> c = status(id);
        if (c.isEmpty()) {
            return c;
        }
        Optional<CommandRecord> after = update(c.get().rack(), id,
                x -> CommandRecord.CANCELLED.equals(x.state()) ? x : x.again()); // a cancelled command stays withdrawn
        wake(c.get().rack());
        return after;
    }

    /** Registers a listener called when a command is queued for the rack; returns its remover. */
    public Runnable onEnqueue(String rack, Runnable listener) {
        listeners.computeIfAbsent(rack, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(rack, (k, l) -> {
            l.remove(listener);
            return l.isEmpty() ? null : l;
        });
    }

    private Optional<CommandRecord> update(String rack, String id, UnaryOperator<CommandRecord> change) throws IOException {
        String key = key(rack, id);
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            KeyValueEntry e = entry(key);
            if (e == null) {
                return Optional.empty();
            }
            CommandRecord had = json.readValue(e.getValue(), CommandRecord.class);
            CommandRecord next = change.apply(had);
            if (next.equals(had)) {
                return Optional.of(had); // nothing to change: no write
            }
            try {
                index(key, next, kv.update(key, json.writeValueAsBytes(next), e.getRevision()));
                return Optional.of(next);
            } catch (JetStreamApiException conflict) {
                // changed concurrently: read again
            }
        }
        throw new IOException("command " + id + " keeps changing concurrently; update abandoned");
    }

    private Optional<CommandRecord> read(String key) throws IOException {
        KeyValueEntry e = entry(key);
        return e == null ? Optional.empty() : Optional.of(json.readValue(e.getValue(), CommandRecord.class));
    }

    private KeyValueEntry entry(String key) throws IOException {
        try {
            KeyValueEntry e = kv.get(key);
            return e == null || e.getValue() == null ? null : e;
        } catch (JetStreamApiException e) {
            throw new IOException("reading command " + key + " failed: " + e.getMessage(), e);
        }
    }

    private List<String> keys(String filter) throws IOException {
        try {
            return kv.keys(filter);
        } catch (JetStreamApiException e) {
            throw new IOException("listing commands failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing commands", e);
        }
    }

    /**
     * The key is the rack name's hex form, '.', the id: one rack's commands share a prefix of KV-safe
     * characters (the stored keys' format, read back by every Mixer of the bucket).
     */
    private static String key(String rack, String id) {
        return hex(rack) + "." + id;
    }

    private static String hex(String rack) {
        return HexFormat.of().formatHex(rack.getBytes(StandardCharsets.UTF_8));
    }
}
