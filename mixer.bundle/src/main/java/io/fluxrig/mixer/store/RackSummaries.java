package io.fluxrig.mixer.store;

import io.fluxrig.snake.api.RackSummary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link RackSummary} each rack's heartbeat brought to this Mixer, in memory only (a
 * summary changes with every heartbeat: writing it to the registry's bucket would cost a KV write
 * per heartbeat, which the registry avoids). After a restart this Mixer holds none until each
 * rack's next heartbeat; a Mixer sharing the registry holds those of the racks connected to it.
 * Listings show a summary only while the rack is online, so a silent rack's last rates never pass
 * for current ones.
 *
 * <p>Owned by the {@link RackRegistry}; thread-safe (Jetty's threads write, listings read).
 */
public final class RackSummaries {
    private final Map<String, RackSummary> latest = new ConcurrentHashMap<>();

    /**
     * @param rack the rack whose heartbeat was accepted
     * @param summary its summary, or null (its first heartbeat, or a rack that sends none): forgets
     *        the previous one
     */
    public void accepted(String rack, RackSummary summary) {
        if (summary == null) {
            latest.remove(rack);
        } else {
            latest.put(rack, summary);
        }
    }

    /**
     * @param r a registry record
     * @return the latest summary of that rack while it is online, else null
     */
    public RackSummary of(RackRecord r) {
        return RackRecord.ONLINE.equals(r.state()) ? latest.get(r.name()) : null;
    }
}
