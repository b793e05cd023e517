package io.fluxrig.mixer.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of racks in the KV bucket {@code fluxrig_mixer_racks}. Every change is a
 * read-modify-write with compare-and-set on the entry revision, retried on conflict, so
 * concurrent heartbeats, the offline sweeper and an operator's revoke never overwrite each
 * other (a revoke is never undone by a heartbeat in flight).
 *
 * <p>Reads of one rack ({@link #get}, {@link #read}) go to the bucket. Listing ({@link #list},
 * {@link #page}) reads a view of the whole bucket kept in memory by a KV watch (changes made by
 * another Mixer on the same NATS arrive within the watch's latency; this Mixer's own writes are
 * in the view when the write returns), so a registry of thousands of racks is listed without a
 * NATS round trip per rack. The view leaves out inventories (a listed record's {@code inventory}
 * is null): they are most of a record's size, and only one rack's page needs one.
 *
 * <p>Heartbeats ({@link #heartbeat}) write the record only when something besides the heartbeat
 * time changed, or when the stored time is older than {@value #REFRESH_PERCENT}% of the rack's
 * period: a rack heartbeating with an unchanged inventory costs one write every second period,
 * not one per heartbeat. The time of every heartbeat is kept in memory and shown by this
 * Mixer's reads, so its offline rule and listings see each one; another Mixer reading the bucket
 * sees a time at most two periods old (the offline rule waits three by default).
 *
 * <p>Thread-safe: the view is concurrent maps updated by revision (a lower revision never
 * replaces a higher one), from the watch's dispatcher thread and from writing threads.
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
    private volatile AutoCloseable watch;

    RackRegistry(KeyValue kv, ObjectMapper json) {
        this.kv = kv;
        this.json = json;
    }

    /**
     * Starts the watch that keeps the in-memory view, and waits until it holds the bucket's
     * current content (blocking: called from the store's connect, never from an activation).
     *
     * @throws IOException when the watch cannot start or the content does not arrive in 60 s
     */
    void startView() throws IOException {
        watch = BucketWatch.start(kv, "the rack registry", this::applyWatched);
    }

    private void applyWatched(KeyValueEntry e) {
        if (e.getOperation() != KeyValueOperation.PUT || e.getValue() == null) {
            view.computeIfPresent(e.getKey(), (k, old) -> old.revision < e.getRevision() ? null : old);
            return;
        }
        try {
            remember(new Entry(json.readValue(e.getValue(), RackRecord.class), e.getRevision()));
        } catch (IOException ex) {
            LOG.warn("rack registry: entry {} (revision {}) is not a rack record, left out of listings: {}", e.getKey(),
                    e.getRevision(), ex.toString());
        }
    }

    /** Keeps a record in the view without its inventory (the bulk of a record: 1,000 racks' inventories are ~200 MB of trees). */
    private void remember(Entry e) {
        Entry lean = e.record.inventory() == null ? e : new Entry(e.record.withInventory(null), e.revision);
        view.merge(e.record.name(), lean, (old, now) -> now.revision > old.revision ? now : old);
    }

    /**
     * @param name a rack name
     * @return its record (with the last heartbeat this Mixer saw), if registered
     * @throws IOException when NATS fails
     */
    public Optional<RackRecord> get(String name) throws IOException {
        Entry e = entry(name);
        return e == null ? Optional.empty() : Optional.of(fresh(e.record));
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

    /** @return record writes to the bucket by heartbeats so far, and heartbeats that needed none */
    public long[] heartbeatWrites() {
        return new long[] {writes.get(), skipped.get()};
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
            remember(new Entry(r, revision));
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
        return change(name, change, false, null);
    }

    /**
     * A heartbeat's change: as {@link #update}, but when the change moves only the heartbeat time
     * and the stored time is recent (see the class comment), the time is kept in memory and
     * nothing is written.
     *
     * @param name the rack
     * @param change returns the new record (its {@code lastSeen} the heartbeat's time), or the same
     *     instance to leave it unchanged
     * @return the record after the change (with the heartbeat's time), or empty when not registered
     * @throws IOException when NATS fails or the conflicts do not settle
     */
    public Optional<RackRecord> heartbeat(String name, UnaryOperator<RackRecord> change) throws IOException {
        return change(name, change, true, null);
    }

    /**
     * As {@link #heartbeat(String, UnaryOperator)}, the first compare-and-set starting from a
     * record the caller has just read (the request's authentication): one NATS round trip fewer
     * per heartbeat. A change made since that read makes the write lose and the record is read again.
     *
     * @param name the rack
     * @param read its record and revision as read by {@link #read} for this request
     * @param change as for {@link #heartbeat(String, UnaryOperator)}
     * @return the record after the change, or empty when not registered
     * @throws IOException when NATS fails or the conflicts do not settle
     */
    public Optional<RackRecord> heartbeat(String name, Versioned read, UnaryOperator<RackRecord> change) throws IOException {
        Entry first = read.record().filter(r -> r.name().equals(name)).map(r -> new Entry(r, read.revision())).orElse(null);
        return change(name, change, true, first);
    }

    private Optional<RackRecord> change(String name, UnaryOperator<RackRecord> change, boolean heartbeat, Entry first)
            throws IOException {
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
                remember(new Entry(next, revision));
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

    private record Entry(RackRecord record, long revision) {
    }

    private Entry entry(String name) throws IOException {
        try {
            KeyValueEntry e = kv.get(name);
            if (e == null || e.getValue() == null) {
                return null;
            }
            Entry read = new Entry(json.readValue(e.getValue(), RackRecord.class), e.getRevision());
            remember(read);
            return read;
        } catch (JetStreamApiException e) {
            throw new IOException("reading rack " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops the watch (the store's connection is closed by its owner). */
    @Override
    public void close() {
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
