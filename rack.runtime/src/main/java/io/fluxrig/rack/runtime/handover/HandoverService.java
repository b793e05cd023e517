package io.fluxrig.rack.runtime.handover;

import io.fluxrig.gear.Handover;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The rack's {@link Handover} service: keeps what a gear parks while its bundle is replaced.
 * It lives in the rack's runtime, which a gear rollout never replaces.
 *
 * <p>Threading and ownership: one daemon timer thread ({@code fluxrig-handover}), owned by this
 * component and stopped at deactivation, runs the expiry of parked entries; everything else runs
 * on the caller's thread ({@link ParkingLot}). Deactivation closes whatever is still parked: a
 * rack that stops closes its gears' connections as before.
 */
// Immediate: a delayed component would be disposed (and close what is parked) when its last user,
// the gear instance that just parked, goes away.
@Component(service = Handover.class, configurationPid = Handover.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = HandoverService.Config.class)
public final class HandoverService implements Handover {

    /** How long parked resources wait. */
    @ObjectClassDefinition(id = Handover.PID, name = "fluxrig rack: gear hand-over",
            description = "Sockets a gear parks while its bundle is replaced are closed when no new instance claims them in time")
    public @interface Config {
        /** @return the grace period in milliseconds */
        @AttributeDefinition(name = "Grace period (ms)", min = "1",
                description = "How long parked sockets wait for the gear's next instance before they are closed")
        long grace_ms() default 30_000;
    }

    private final ScheduledExecutorService timer;
    private final ParkingLot lot;

    /** @param config the grace period */
    @Activate
    public HandoverService(Config config) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fluxrig-handover");
            t.setDaemon(true);
            return t;
        });
        this.lot = new ParkingLot(this::schedule, Math.max(1, config.grace_ms()));
    }

    private void schedule(Runnable task, long ms) {
        try {
            timer.schedule(task, ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // Deactivating: closeAll (which runs before the timer stops) closes what was parked.
        }
    }

    @Override
    public void park(String key, List<? extends AutoCloseable> resources, Map<String, Object> state) {
        lot.park(key, resources, state);
    }

    @Override
    public Map<String, Object> claim(String key) {
        return lot.claim(key);
    }

    @Deactivate
    void deactivate() {
        lot.closeAll();
        timer.shutdownNow();
    }
}
