package io.fluxrig.mixer.operator;

import io.fluxrig.mixer.Mixer;
import io.fluxrig.mixer.store.RackRegistry;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The services through which the operator surface (the Web Console "Racks" page) reaches a
 * running Mixer. The Mixer starts on its own thread after activation (NATS may be slow or
 * down), so its parts cannot be DS references of the components that need them; instead the
 * start thread registers them here once the Mixer runs, and the DS components that reference
 * them (e.g. {@code RacksConsolePlugin}) come and go with it. Owned by {@code MixerComponent}:
 * registered from its start thread, closed on deactivation before the Mixer closes.
 */
public final class OperatorServices implements AutoCloseable {
    private final List<ServiceRegistration<?>> registrations;

    private OperatorServices(List<ServiceRegistration<?>> registrations) {
        this.registrations = registrations;
    }

    /**
     * @param context mixer.bundle's context
     * @param mixer the running Mixer
     * @return the registrations, to close when the Mixer stops
     */
    public static OperatorServices register(BundleContext context, Mixer mixer) {
        List<ServiceRegistration<?>> regs = new ArrayList<>();
        regs.add(context.registerService(RackRegistry.class, mixer.store().racks(), null));
        return new OperatorServices(regs);
    }

    @Override
    public void close() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
        }
    }
}
