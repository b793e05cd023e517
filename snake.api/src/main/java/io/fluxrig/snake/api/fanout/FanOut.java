package io.fluxrig.snake.api.fanout;

import java.util.List;
import java.util.Map;

/**
 * A fan-out command and where it is on each rack.
 *
 * @param id the fan-out's id (32 hex digits)
 * @param selector the selector it was sent to
 * @param type the command type
 * @param args its arguments
 * @param createdAt epoch millis
 * @param total how many racks the selector matched
 * @param counts racks per summary state (every state present, 0 included)
 * @param racks the racks (all, or those in the states asked for), sorted by name
 */
public record FanOut(String id, String selector, String type, Map<String, String> args, long createdAt, int total,
        Map<String, Integer> counts, List<FanOutRack> racks) {
    /** Queued on the Mixer, not handed to the rack yet. */
    public static final String QUEUED = "queued";
    /** Handed to the rack (at least once), no result yet. */
    public static final String DELIVERED = "delivered";
    /** The rack reported it done. */
    public static final String DONE = "done";
    /** The rack reported it failed or refused it, it was cancelled, or it could not be queued. */
    public static final String FAILED = "failed";
    /** Not finished, and the rack is offline (or revoked): it runs the command when it is back. */
    public static final String OFFLINE = "offline";
    /** Every summary state, in the order a summary prints them. */
    public static final List<String> STATES = List.of(QUEUED, DELIVERED, DONE, FAILED, OFFLINE);

    /** Null collections become empty. */
    public FanOut {
        args = args == null ? Map.of() : Map.copyOf(args);
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        racks = racks == null ? List.of() : List.copyOf(racks);
    }

    /** @return whether no rack has the command queued or delivered without a result (offline racks still may run it) */
    public boolean settled() {
        return counts.getOrDefault(QUEUED, 0) == 0 && counts.getOrDefault(DELIVERED, 0) == 0;
    }
}
