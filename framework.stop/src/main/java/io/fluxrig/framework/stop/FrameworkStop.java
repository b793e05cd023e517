package io.fluxrig.framework.stop;

import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Stops the framework cleanly when the JVM is asked to end (SIGTERM, SIGINT, {@code System.exit}).
 * The bnd launcher does not, so without this no {@code @Deactivate} would run: NATS connections,
 * servers and files would be left to die with the process.
 *
 * <p>Activation registers a JVM shutdown hook (thread {@code fluxrig-framework-stop}); the hook
 * stops the system bundle and waits up to 20 s for the framework to stop, so every component has
 * deactivated before the JVM goes on exiting. Deactivation removes the hook again, unless the hook
 * is what is stopping the framework (or the JVM is already shutting down). The components that
 * say "stopped" on stdout ({@code fluxrig rack NAME stopped}, {@code fluxrig mixer stopped}) do so
 * in their own deactivation, whichever way the framework was stopped.
 *
 * <p>Threads: activation and deactivation on SCR's thread; the hook on its own JVM thread. The
 * only shared state is {@link #hookRunning}.
 */
@Component(immediate = true)
public final class FrameworkStop {
    static final long STOP_WAIT_MS = 20_000;

    private final BundleContext context;
    private final Thread hook = new Thread(this::stopFramework, "fluxrig-framework-stop");
    private final AtomicBoolean hookRunning = new AtomicBoolean();

    /** @param context this bundle's context (for the system bundle) */
    @Activate
    public FrameworkStop(BundleContext context) {
        this.context = context;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void stopFramework() {
        hookRunning.set(true);
        Bundle system = context.getBundle(0);
        try {
            system.stop();
            Framework framework = system instanceof Framework f ? f : system.adapt(Framework.class);
            if (framework != null) {
                framework.waitForStop(STOP_WAIT_MS);
            }
        } catch (BundleException | IllegalStateException e) {
            System.err.println("fluxrig: stopping the framework failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() {
        if (hookRunning.get()) {
            return; // the hook is stopping the framework; the JVM ends after it
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // the JVM is ending anyway
        }
    }
}
