package io.fluxrig.rack.runtime.route;

/**
 * The rack's wire transport as operators see it (console, Gogo, Snake inventory).
 *
 * @param connected false while the broker is unreachable: the rack is degraded (publishes wait in
 *     the transport's bounded buffer, then push back; deliveries stop) and recovers by itself
 * @param detail the transport's own line: connection state and reason, counters
 */
public record WireStatus(boolean connected, String detail) {

    /** @return {@code connected} or {@code DEGRADED (broker unreachable)} */
    public String state() {
        return connected ? "connected" : "DEGRADED (broker unreachable)";
    }
}
