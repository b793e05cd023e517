package io.fluxrig.mixer;

import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Stops the Mixer cleanly on SIGTERM/SIGINT. The bnd launcher does not stop the framework when
 * the JVM is asked to end, so {@link MixerComponent} would never deactivate (Jetty servers and the
 * NATS connection left to die with the process). A JVM shutdown hook, registered at activation and
 * removed at deactivation unless it is the one stopping us, stops the system bundle, waits up to
 * 20 s for the framework to stop (every {@code @Deactivate} has then run), and prints
 * {@code fluxrig mixer stopped}. When the framework is stopped another way, deactivation prints
 * that line instead. The line is built at activation so nothing needs loading while the framework
 * goes down. Same pattern as the rack's {@code RackLifecycle}.
 */
@Component(immediate = true)
public final class MixerLifecycle {
    private static final long STOP_WAIT_MS = 20_000;

    private final BundleContext context;
    private final String stoppedLine = "fluxrig mixer stopped";
    private final Thread hook = new Thread(this::stopFramework, "fluxrig-mixer-shutdown");
    private final AtomicBoolean hookRunning = new AtomicBoolean();
    private final AtomicBoolean stoppedPrinted = new AtomicBoolean();

    /** @param context the Mixer bundle's context (for the system bundle) */
    @Activate
    public MixerLifecycle(BundleContext context) {
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
            System.err.println("fluxrig mixer: stopping the framework failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        printStopped();
    }

    private void printStopped() {
        if (stoppedPrinted.compareAndSet(false, true)) {
            System.out.println(stoppedLine);
            System.out.flush();
        }
    }

    @Deactivate
    void deactivate() {
        if (hookRunning.get()) {
            return; // the hook prints once the whole framework has stopped
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return;
        }
        Bundle system = context.getBundle(0);
        if (system != null && system.getState() == Bundle.STOPPING) {
            printStopped();
        }
    }
}
