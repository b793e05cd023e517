package io.fluxrig.mixer.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The registry of racks in the KV bucket {@code fluxrig_mixer_racks}. Every change is a
 * read-modify-write with compare-and-set on the entry revision, retried on conflict, so
 * concurrent heartbeats, the offline sweeper and an operator's revoke never overwrite each
 * other (a revoke is never undone by a heartbeat in flight). Thread-safe.
 */
public final class RackRegistry {
    private static final int CAS_ATTEMPTS = 10;

    private final KeyValue kv;
    private final ObjectMapper json;

    RackRegistry(KeyValue kv, ObjectMapper json) {
        this.kv = kv;
        this.json = json;
    }

    /**
     * @param name a rack name
     * @return its record, if registered
     * @throws IOException when NATS fails
     */
    public Optional<RackRecord> get(String name) throws IOException {
        Entry e = entry(name);
        return e == null ? Optional.empty() : Optional.of(e.record);
    }

    /**
     * @return every rack, sorted by name
     * @throws IOException when NATS fails
     */
    public List<RackRecord> list() throws IOException {
        List<RackRecord> out = new ArrayList<>();
        try {
            for (String k : kv.keys()) {
                get(k).ifPresent(out::add);
            }
        } catch (JetStreamApiException e) {
            throw new IOException("listing racks failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing racks", e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
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
            if (read.record().isEmpty()) {
                kv.create(r.name(), value);
            } else {
                kv.update(r.name(), value, read.revision());
            }
        } catch (JetStreamApiException e) {
            throw new Conflict(r.name()); // wrong last sequence: another writer came first
        }
    }

    /**
     * Changes a record with compare-and-set, retrying on a concurrent change.
     *
     * @param name the rack
     * @param change returns the new record, or the same instance to leave it unchanged
     * @return the record after the change, or empty when the rack is not registered
     * @throws IOException when NATS fails or the conflicts do not settle
     */
    public Optional<RackRecord> update(String name, UnaryOperator<RackRecord> change) throws IOException {
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Entry e = entry(name);
            if (e == null) {
                return Optional.empty();
            }
            RackRecord next = change.apply(e.record);
            if (next == e.record) {
                return Optional.of(next);
            }
            try {
                kv.update(name, json.writeValueAsBytes(next), e.revision);
                return Optional.of(next);
            } catch (JetStreamApiException conflict) {
                // another writer changed it between read and write: read again
            }
        }
        throw new IOException("rack " + name + " keeps changing concurrently; update abandoned");
    }

    private record Entry(RackRecord record, long revision) {
    }

    private Entry entry(String name) throws IOException {
        try {
            KeyValueEntry e = kv.get(name);
            if (e == null || e.getValue() == null) {
                return null;
            }
            return new Entry(json.readValue(e.getValue(), RackRecord.class), e.getRevision());
        } catch (JetStreamApiException e) {
            throw new IOException("reading rack " + name + " failed: " + e.getMessage(), e);
        }
    }
}
