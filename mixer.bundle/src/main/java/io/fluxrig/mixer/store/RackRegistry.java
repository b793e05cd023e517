package io.fluxrig.mixer.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fluxrig.snake.api.LogThrottle;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of racks in the KV bucket {@code fluxrig_mixer_racks}. Every change is a
 * read-modify-write with compare-and-set on the entry revision, retried on conflict, so
 * concurrent heartbeats, the offline sweeper and an operator's revoke never overwrite each
 * other (a revoke is never undone by a heartbeat in flight).
 *
 * <p><b>The view.</b> A view of the whole bucket is kept in memory by a KV watch (changes made by
 * another Mixer on the same NATS arrive within the watch's latency) and by this registry's own
 * writes, which put their result in the view before they return (so a revocation written here is
 * in the view before the operator gets the answer). A lower revision never replaces a higher one.
 * The view leaves out inventories (they are most of a record's size; a listed record's
 * {@code inventory} is null) and keeps a hash of each instead. Listing ({@link #list},
 * {@link #page}) and authentication ({@link #known}) read the view: no NATS round trip per rack
 * or per request. Reading one rack with its inventory ({@link #get}, {@link #read}) goes to the
 * bucket.
 *
 * <p><b>Heartbeats</b> ({@link #heartbeat}) are decided from the view on the caller's (a Snake)
 * thread. Whether a full inventory is the stored one is decided without hashing it when the
 * heartbeat names the rack's digest of it and the view knows the digest the stored inventory was
 * written with (see {@code sameInventory}). A heartbeat that moves only the time (same fields,
 * same inventory hash) while the stored time is younger than {@value #REFRESH_PERCENT}% of the rack's period is kept in memory only. One
 * that changes the rack's state or certificate serials (first heartbeat, back from offline, a
 * renewed certificate's first use) is written before it returns, as it decides what the next
 * request may do. Anything else (a time to refresh, a new inventory or live part) is handed to the
 * {@link HeartbeatWriter}, whose threads do the NATS round trips; the heartbeat is answered at
 * once. The time of every heartbeat is kept in memory and shown by this Mixer's reads, so its
 * offline rule and listings see each one; another Mixer reading the bucket sees a time at most
 * two periods old, plus the writer's backlog (the offline rule waits three by default). A write
 * that fails is counted by the store's KV write errors and logged (at most once a second); the
 * view is then unchanged, so the rack's next heartbeat writes again, and the inventory change's
 * {@code unheld} hook has the rack send its full inventory.
 *
 * <p>Threading and ownership: the view and the in-memory times are concurrent maps, written by the
 * watch's dispatcher thread and by writing threads (Snake threads for enrolments, renewals and
 * state changes; the operator API's revocations; the offline sweeper; the writer's threads). This
 * registry owns the writer ({@code fluxrig-mixer-registry-write-N}, started with the view, stopped
 * by {@link #close}).
 */
public final class RackRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RackRegistry.class);
    private static final int CAS_ATTEMPTS = 10;
    /** A heartbeat with nothing new is written once the stored one is older than this share of the period. */
    static final int REFRESH_PERCENT = 150;

    private final KeyValue kv;
    private final ObjectMapper json;
    private final ConcurrentSkipListMap<String, Entry> view = new ConcurrentSkipListMap<>();
    /** Heartbeat times not written to the bucket, by rack. */
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final RackSummaries summaries = new RackSummaries();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong later = new AtomicLong();
    private final LogThrottle writeFailures = new LogThrottle(Duration.ofSeconds(1));
    private volatile AutoCloseable watch;
    private volatile HeartbeatWriter<Pending> writer;
    /** Threads writing heartbeats: NATS round trips of different racks in parallel. */
    static final int WRITE_THREADS = 8;
    /** How long a read of one rack waits for that rack's heartbeat writes. */
    private static final long FLUSH_MILLIS = 5000;

    /** Whether NATS is connected now: while it is not, heartbeats are refused, not kept in memory only. */
    private final BooleanSupplier connected;

    RackRegistry(KeyValue kv, ObjectMapper json, BooleanSupplier connected) {
        this.kv = kv;
        this.json = json;
        this.connected = connected;
    }

    /**
     * Starts the watch that keeps the in-memory view, and waits until it holds the bucket's
     * current content (blocking: called from the store's connect, never from an activation).
     *
     * @throws IOException when the watch cannot start or the content does not arrive in 60 s
     */
    void startView() throws IOException {
        watch = BucketWatch.start(kv, "the rack registry", this::applyWatched);
        writer = new HeartbeatWriter<>(WRITE_THREADS, Pending::then, this::writeLater);
    }

    private void applyWatched(KeyValueEntry e) {
        if (e.getOperation() != KeyValueOperation.PUT || e.getValue() == null) {
            view.computeIfPresent(e.getKey(), (k, old) -> old.revision < e.getRevision() ? null : old);
            return;
        }
        try {
            remember(json.readValue(e.getValue(), RackRecord.class), e.getRevision(), null);
        } catch (IOException ex) {
            LOG.warn("rack registry: entry {} (revision {}) is not a rack record, left out of listings: {}", e.getKey(),
                    e.getRevision(), ex.toString());
        }
    }

    /**
     * Keeps a record in the view without its inventory (the bulk of a record: 1,000 racks'
     * inventories are ~200 MB of trees), with the inventory's hashes.
     *
     * @param digest the rack's digest of the inventory, when this registry wrote it from a
     *     heartbeat that named one; null otherwise (read from the bucket or the watch)
     * @return the view's entry (lean) after this: the given revision's, or a newer one already held
     */
    private Entry remember(RackRecord r, long revision, String digest) {
        JsonNode inventory = r.inventory();
        Entry lean = new Entry(inventory == null ? r : r.withInventory(null), revision, hash(inventory), liveHash(inventory),
                digest);
        // One revision is one content: the watch may deliver this registry's own write before the
        // write's return puts it here, and then the digest it was written with is added.
        return view.merge(r.name(), lean, (old, now) -> now.revision > old.revision
                || now.revision == old.revision && old.digest == null && now.digest != null ? now : old);
    }

    /** @return a 64-bit hash of the JSON text of a tree, 0 for none (numbers hash by their text: 5 as int or long alike) */
    private long hash(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return 0;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(n));
            long h = ByteBuffer.wrap(d).getLong();
            return h == 0 ? 1 : h;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("hashing an inventory: " + e, e);
        }
    }

    /** @return the hash of an inventory's live part (gear instances, wire transport), 0 when it is not an object */
    private long liveHash(JsonNode inventory) {
        return inventory instanceof ObjectNode ? live(inventory.get("gears"),
                inventory.get("wireTransport")) : 0;
    }

    private long live(JsonNode gears, JsonNode wire) {
        ArrayNode a = json.createArrayNode();
        a.add(gears);
        a.add(wire);
        return hash(a);
    }

    /**
     * @param name a rack name
     * @return its record (with the last heartbeat this Mixer saw), if registered
     * @throws IOException when NATS fails
     */
    public Optional<RackRecord> get(String name) throws IOException {
        flush(name);
        Entry e = entry(name);
        return e == null ? Optional.empty() : Optional.of(fresh(e.record));
    }

    /**
     * A rack's record from the view, without its inventory: what authenticates a Snake request.
     * The bucket is read only for a name the view does not hold (e.g. enrolled on another Mixer a
     * moment ago).
     *
     * @param name a rack name
     * @return its record without inventory (with the last heartbeat this Mixer saw), if registered
     * @throws IOException when the name is not in the view and NATS fails
     */
    public Optional<RackRecord> known(String name) throws IOException {
        Entry e = view.get(name);
        if (e == null && entry(name) != null) {
            e = view.get(name);
        }
        return e == null ? Optional.empty() : Optional.of(fresh(e.record));
    }

    /** Waits (bounded) until the rack's heartbeat writes handed to the writer are in the bucket. */
    private void flush(String name) {
        HeartbeatWriter<Pending> w = writer;
        if (w == null) {
            return;
        }
        try {
            w.flush(name, FLUSH_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return every rack, sorted by name, from the in-memory view, <em>without inventories</em>
     *     ({@code inventory} null: {@link #get} reads a rack's)
     * @throws IOException never today (kept for callers written against the bucket)
     */
    public List<RackRecord> list() throws IOException {
        List<RackRecord> out = new ArrayList<>(view.size());
        for (Entry e : view.values()) {
            out.add(fresh(e.record));
        }
        return out;
    }

    /**
     * @param query the filter and page
     * @return the page, from the in-memory view, records without inventories
     */
    public RackQuery.Page page(RackQuery query) {
        return query.select(view.tailMap(query.after() == null ? "" : query.after(), false).values().stream()
                .map(e -> fresh(e.record)), view.values().stream().map(e -> fresh(e.record)));
    }

    /** @return the racks' latest traffic summaries, kept in memory beside the view */
    public RackSummaries summaries() {
        return summaries;
    }

    /** @return how many racks the view holds */
    public int size() {
        return view.size();
    }

    /**
     * @return record writes to the bucket by heartbeats so far, heartbeats that needed none, and
     *     heartbeats handed to the writer
     */
    public long[] heartbeatWrites() {
        return new long[] {writes.get(), skipped.get(), later.get()};
    }

    /** @return racks with a heartbeat write waiting or running */
    public int writeBacklog() {
        HeartbeatWriter<Pending> w = writer;
        return w == null ? 0 : w.backlog();
    }

    private RackRecord fresh(RackRecord r) {
        Long t = seen.get(r.name());
        return t == null || t <= r.lastSeen() ? r : r.seenAt(t);
    }

    /** A record with the KV revision it was read at (0: the name is not registered). */
    public record Versioned(Optional<RackRecord> record, long revision) {
    }

    /** Thrown when another writer changed (or created) the record since it was read. */
    public static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;

        Conflict(String name) {
            super("rack '" + name + "' changed concurrently");
        }
    }

    /**
     * @param name a rack name
     * @return its record and revision, for a later {@link #enrol}
     * @throws IOException when NATS fails
     */
    public Versioned read(String name) throws IOException {
        Entry e = entry(name);
        return e == null ? new Versioned(Optional.empty(), 0) : new Versioned(Optional.of(e.record), e.revision);
    }

    /**
     * Writes an enrolment with compare-and-set: creates the name when it was not registered when
     * read, or replaces exactly the revision that was read. Of two enrolments of one name that
     * read the same state, one wins and the other gets {@link Conflict}.
     *
     * @param r the record
     * @param read what the enrolment saw and checked
     * @throws Conflict when the name was created or changed since {@code read}
     * @throws IOException when NATS fails
     */
    public void enrol(RackRecord r, Versioned read) throws Conflict, IOException {
        try {
            byte[] value = json.writeValueAsBytes(r);
            long revision = read.record().isEmpty() ? kv.create(r.name(), value) : kv.update(r.name(), value, read.revision());
            seen.remove(r.name());
            remember(r, revision, null);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != KvWriteErrors.CAS_LOST) {
                throw new IOException("registering rack " + r.name() + " failed: " + e.getMessage(), e);
            }
            throw new Conflict(r.name()); // wrong last sequence: another writer came first
        }
    }

    /**
     * Changes a record with compare-and-set, retrying on a concurrent change.
     *
     * @param name the rack
     * @param change given the record with the last heartbeat time this Mixer saw, returns the new
     *     record, or the same instance to leave it unchanged
     * @return the record after the change, or empty when the rack is not registered
     * @throws IOException when NATS fails or the conflicts do not settle
     */
    public Optional<RackRecord> update(String name, UnaryOperator<RackRecord> change) throws IOException {
        return change(name, change, null, null);
    }

    /**
     * A heartbeat, decided from the view without a NATS round trip when it can be (see the class
     * comment): kept in memory, handed to the writer, or, when it changes the rack's state or
     * certificate serials, written before this returns.
     *
     * @param name the rack
     * @param fields given the record (without inventory, with the last heartbeat time this Mixer
     *     saw), returns the new record with the heartbeat's fields and the inventory it was given,
     *     or the same instance to leave the rack unchanged (revoked, a serial no longer accepted);
     *     may run again on a writer thread against a newer record
     * @param inventory what the heartbeat does to the stored inventory
     * @return the record after the heartbeat, without inventory, or empty when the rack is not registered
     * @throws IOException when NATS is not connected (a heartbeat the registry cannot record is
     *     refused, so the rack learns the registry is unavailable), or fails on a change written
     *     before returning (or reading a rack the view does not hold)
     */
    public Optional<RackRecord> heartbeat(String name, UnaryOperator<RackRecord> fields, InventoryChange inventory)
            throws IOException {
        if (!connected.getAsBoolean()) {
            throw new IOException("NATS is not connected");
        }
        Entry e = view.get(name);
        if (e == null && entry(name) != null) {
            e = view.get(name);
        }
        if (e == null) {
            return Optional.empty();
        }
        RackRecord current = fresh(e.record);
        RackRecord next = fields.apply(current);
        if (next == current) {
            return Optional.of(current);
        }
        HeartbeatWriter<Pending> w = writer;
        boolean decides = !next.state().equals(current.state()) || !next.certSerial().equals(current.certSerial())
                || !Objects.equals(next.previousSerial(), current.previousSerial());
        if (!decides && sameInventory(e, inventory) && onlyTimeMoved(e.record, next.withInventory(null))) {
            seen.merge(name, next.lastSeen(), Math::max);
            skipped.incrementAndGet();
            return Optional.of(next.withInventory(null));
        }
        if (decides || w == null) {
            flush(name); // an earlier heartbeat's write first: writes of one rack keep their order
            return change(name, withInventory(new Pending(fields, inventory)), inventory, null).map(r -> r.withInventory(null));
        }
        seen.merge(name, next.lastSeen(), Math::max);
        later.incrementAndGet();
        w.submit(name, new Pending(fields, inventory));
        return Optional.of(next.withInventory(null));
    }

    /** One rack's heartbeat waiting for the writer: the latest fields, the inventory changes merged. */
    private record Pending(UnaryOperator<RackRecord> fields, InventoryChange inventory) {
        Pending then(Pending newer) {
            return new Pending(newer.fields, inventory.then(newer.inventory));
        }
    }

    private static UnaryOperator<RackRecord> withInventory(Pending p) {
        return r -> {
            RackRecord n = p.fields().apply(r);
            return n == r ? r : n.withInventory(p.inventory().applyTo(r.inventory()));
        };
    }

    /** On a writer thread: one rack's waiting heartbeat, compare-and-set as every change. */
    private void writeLater(String name, Pending p) {
        try {
            // A full inventory replaces the stored one: the view's record and revision are the base
            // (no read); a live part or a time refresh needs the stored inventory (one read).
            Entry base = p.inventory().needsStored() ? null : view.get(name);
            change(name, withInventory(p), p.inventory(), base);
        } catch (IOException | RuntimeException e) {
            p.inventory().unheld().run();
            long more = writeFailures.admit();
            if (more >= 0) {
                LOG.warn("rack registry: a heartbeat of rack {} was not written ({}); the rack's next heartbeat writes "
                        + "again{}", name, e.toString(), LogThrottle.more(more));
            }
        }
    }

    /**
     * Whether the heartbeat's inventory is the stored one, by the view's hashes, or for a full
     * inventory by the rack's digest when both the heartbeat and the view have one. The digest
     * covers the stable part (snake.api {@code InventoryDigest}), so then only the live part, a
     * small tree, is hashed; a digest other than the stored one means a new inventory, no hash
     * needed. Trusting the rack's digest is safe here because it is the rack's own record: the
     * request is authenticated as that rack, which is the authority on its inventory anyway (it
     * could as well send any inventory), the Mixer already trusts the digest when a heartbeat
     * sends only the digest and the live part, and the view holds a digest only for a revision
     * this registry wrote from a heartbeat of that rack (a record written by another Mixer or read
     * back has none, and is compared by hash).
     */
    private boolean sameInventory(Entry e, InventoryChange change) {
        if (change.full() != null) {
            if (change.digest() != null && e.digest != null) {
                return change.digest().equals(e.digest)
                        && live(change.full().get("gears"), change.full().get("wireTransport")) == e.liveHash;
            }
            return hash(change.full()) == e.inventoryHash;
        }
        if (change.live()) {
            return e.inventoryHash != 0 && live(change.gears(), change.wire()) == e.liveHash;
        }
        return true;
    }

    /**
     * @param inventory the heartbeat's inventory change, or null when this is no heartbeat (the
     *     change then keeps the stored inventory or replaces it without a digest)
     */
    private Optional<RackRecord> change(String name, UnaryOperator<RackRecord> change, InventoryChange inventory, Entry first)
            throws IOException {
        boolean heartbeat = inventory != null;
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Entry e = i == 0 && first != null ? first : entry(name);
            if (e == null) {
                return Optional.empty();
            }
            // The change sees the last heartbeat this Mixer knows of, not the (up to 1.5 periods
            // older) stored time: the offline rule must not judge a rack by a time it did not write.
            RackRecord current = fresh(e.record);
            RackRecord next = change.apply(current);
            if (next == current) {
                return Optional.of(current);
            }
            if (heartbeat && onlyTimeMoved(e.record, next)) {
                seen.merge(name, next.lastSeen(), Math::max);
                skipped.incrementAndGet();
                return Optional.of(next);
            }
            try {
                long revision = kv.update(name, json.writeValueAsBytes(next), e.revision);
                if (heartbeat) {
                    writes.incrementAndGet();
                }
                seen.computeIfPresent(name, (k, t) -> t <= next.lastSeen() ? null : t);
                remember(next, revision, heartbeat ? inventory.digestAfter(e.digest)
                        : next.inventory() == current.inventory() ? e.digest : null);
                return Optional.of(fresh(next));
            } catch (JetStreamApiException conflict) {
                // another writer changed it between read and write: read again
            }
        }
        throw new IOException("rack " + name + " keeps changing concurrently; update abandoned");
    }

    /** Whether {@code next} differs from the stored record only by a heartbeat time that need not be stored yet. */
    private static boolean onlyTimeMoved(RackRecord stored, RackRecord next) {
        long period = next.heartbeatMillis() > 0 ? next.heartbeatMillis() : 5000;
        return stored.lastSeen() > 0 && next.lastSeen() - stored.lastSeen() < period * REFRESH_PERCENT / 100
                && next.seenAt(stored.lastSeen()).withInventory(stored.inventory()).equals(stored)
                && sameJson(stored.inventory(), next.inventory());
    }

    /**
     * Equal JSON trees, numbers compared by value: an inventory read back from the bucket holds an
     * {@code IntNode} where the heartbeat's (from a {@code long} field) holds a {@code LongNode}.
     */
    static boolean sameJson(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals((x, y) -> x.equals(y) || x.isNumber() && y.isNumber() && x.numberValue().toString()
                .equals(y.numberValue().toString()) ? 0 : 1, b);
    }

    /**
     * A record and the KV revision it was read at; in the view without inventory, with the hashes
     * of the inventory ({@link #hash}, 0: none) and of its live part, and the rack's digest of the
     * inventory when this registry wrote that revision from a heartbeat naming one (else null).
     */
    private record Entry(RackRecord record, long revision, long inventoryHash, long liveHash, String digest) {
        Entry(RackRecord record, long revision, String digest) {
            this(record, revision, 0, 0, digest);
        }
    }

    /** Reads a rack from the bucket (the record with its inventory) and updates the view. */
    private Entry entry(String name) throws IOException {
        try {
            KeyValueEntry e = kv.get(name);
            if (e == null || e.getValue() == null) {
                return null;
            }
            RackRecord r = json.readValue(e.getValue(), RackRecord.class);
            Entry held = remember(r, e.getRevision(), null);
            // The digest the view holds for this very revision (this registry wrote it) stays known.
            return new Entry(r, e.getRevision(), held.revision == e.getRevision() ? held.digest : null);
        } catch (JetStreamApiException e) {
            throw new IOException("reading rack " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops the watch (the store's connection is closed by its owner). */
    @Override
    public void close() {
        HeartbeatWriter<Pending> hw = writer;
        if (hw != null) {
            hw.close();
        }
        AutoCloseable w = watch;
        if (w != null) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.debug("closing the rack registry watch: {}", e.toString());
            }
        }
    }
}
