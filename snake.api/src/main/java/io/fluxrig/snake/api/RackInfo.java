package io.fluxrig.snake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One rack as {@link OperatorPaths#RACKS} lists it: the registry record without its inventory
 * ({@link OperatorPaths#rack} answers the whole record). Null maps become empty.
 *
 * @param name the rack name
 * @param labels its labels (from the enrolment token)
 * @param state {@code pending}, {@code online}, {@code offline} or {@code revoked}
 * @param firstSeen epoch millis of enrolment
 * @param lastSeen epoch millis of the last heartbeat the Mixer saw (0 before the first)
 * @param address the remote address of the last heartbeat, or null
 * @param heartbeatMillis the rack's heartbeat period (0 before the first)
 * @param versions versions the rack reported
 * @param certNotAfter epoch millis when its certificate expires
 * @param reason why the state last changed
 * @param summary the rack's traffic over its last heartbeat interval as the latest heartbeat this
 *        Mixer received from it reported ({@link RackSummary}), or null (none received by this
 *        Mixer since it started, or the rack sends none)
 */
public record RackInfo(String name, Map<String, String> labels, String state, long firstSeen, long lastSeen,
        String address, long heartbeatMillis, Map<String, String> versions, long certNotAfter, String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) RackSummary summary) {
    /** A record without a summary. */
    public RackInfo(String name, Map<String, String> labels, String state, long firstSeen, long lastSeen,
            String address, long heartbeatMillis, Map<String, String> versions, long certNotAfter, String reason) {
        this(name, labels, state, firstSeen, lastSeen, address, heartbeatMillis, versions, certNotAfter, reason, null);
    }

    /** Null maps become empty. */
    public RackInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }
}
