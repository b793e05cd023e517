package io.fluxrig.mixer.command;

import java.util.Map;

/**
 * One command for one rack, in the KV bucket {@code fluxrig_mixer_commands} (key
 * {@code <hex of rack name>.<id>}). Immutable: a change writes a new record with compare-and-set.
 *
 * @param id unique id (32 hex digits); the rack executes each id at most once
 * @param rack the rack it is for
 * @param type e.g. {@code renew-certificate}, {@code fetch-artifact}
 * @param args string arguments (e.g. {@code digest})
 * @param state {@code pending} (not delivered or delivered without result yet), {@code done},
 *        {@code failed} (the rack tried and could not), {@code refused} (the rack would not) or
 *        {@code cancelled} (withdrawn before any delivery: the rack never saw it)
 * @param createdAt epoch millis
 * @param deliveries how many times it was handed to the rack
 * @param lastDeliveredAt epoch millis of the last delivery, 0 before
 * @param finishedAt epoch millis of the result, 0 before
 * @param detail the rack's result text, null before
 * @param reports how many times the rack reported a result (more than 1: delivered again, and
 *        answered from the rack's ledger without executing again)
 */
public record CommandRecord(String id, String rack, String type, Map<String, String> args, String state, long createdAt,
        int deliveries, long lastDeliveredAt, long finishedAt, String detail, int reports) {
    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";
    public static final String CANCELLED = "cancelled";

    /** @return whether the rack has reported a result */
    public boolean finished() {
        return !PENDING.equals(state);
    }

    CommandRecord delivered(long now) {
        return new CommandRecord(id, rack, type, args, state, createdAt, deliveries + 1, now, finishedAt, detail, reports);
    }

    CommandRecord result(String status, String text, long now) {
        return new CommandRecord(id, rack, type, args, status, createdAt, deliveries, lastDeliveredAt,
                finishedAt == 0 ? now : finishedAt, text, reports + 1);
    }

    CommandRecord cancelled(String why, long now) {
        return new CommandRecord(id, rack, type, args, CANCELLED, createdAt, deliveries, lastDeliveredAt, now, why, reports);
    }

    CommandRecord again() {
        return new CommandRecord(id, rack, type, args, PENDING, createdAt, deliveries, lastDeliveredAt, finishedAt, detail, reports);
    }
}
