package io.fluxrig.gear;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A rack service that keeps a gear's open resources (a listening socket, its accepted
 * connections) across a replacement of the gear's bundle, so peers connected to the gear never
 * see a close. The old gear instance {@linkplain #park parks} them under a key when its bundle
 * stops; the next instance of the same gear {@linkplain #claim claims} them by the same key when
 * it opens. The rack's runtime provides this service, and a gear rollout never replaces it.
 *
 * <p><b>Only JDK types.</b> Parked objects outlive the bundle revision that parked them: the
 * resources and every value of the state must be JDK types ({@code java.*}: sockets, channels,
 * strings, byte arrays, numbers, lists and maps of those), never a class of the gear's own
 * bundle, which the next revision cannot see and whose class loader is on its way out.
 *
 * <p><b>Ownership.</b> {@link #park} hands the resources to the service; a successful
 * {@link #claim} hands them to the caller. Resources nobody claims within the rack's grace period
 * (configuration PID {@value #PID}, {@value #GRACE_MS} milliseconds, default 30000) are closed by
 * the service, as are all resources still parked when the service stops. A gear that decides not
 * to hand over (its configuration was deleted, it moved to another port) claims its own key back
 * and closes what it gets.
 *
 * <p><b>Threading.</b> Every method may be called from any thread; expiry runs on the service's
 * own timer thread and closes with {@link AutoCloseable#close()} only.
 */
@ProviderType
public interface Handover {

    /** The configuration PID of the service. */
    String PID = "io.fluxrig.rack.handover";

    /** Configuration property (long, milliseconds): how long parked resources wait for a claim. */
    String GRACE_MS = "grace.ms";

    /**
     * Parks resources and their state. A key parked again replaces (and closes) what was parked
     * under it before. When the service is stopping, the resources are closed at once.
     *
     * @param key the gear's key, stable across revisions (e.g. type, instance name and address)
     * @param resources what to close if nobody claims it (JDK objects only)
     * @param state what the next instance needs to go on (JDK values only); kept as given
     */
    void park(String key, List<? extends AutoCloseable> resources, Map<String, Object> state);

    /**
     * Takes what was parked under {@code key}; the caller now owns the resources.
     *
     * @param key the key given to {@link #park}
     * @return the parked state, or null when nothing is parked under the key (never parked,
     *         already claimed, or closed after the grace period)
     */
    Map<String, Object> claim(String key);
}
