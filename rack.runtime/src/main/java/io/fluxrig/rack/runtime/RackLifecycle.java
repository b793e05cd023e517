package io.fluxrig.rack.runtime;

import io.fluxrig.rack.runtime.apply.PatchManager;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Announces the rack and stops it cleanly.
 *
 * <p><b>Ready.</b> Prints exactly one line to stdout once the first patch was applied (or
 * refused, or there is none) and the Web Console serves on its configured port ({@link ConsoleEndpoint}): {@code fluxrig rack <name> ready: console <url> (gears: N, patch:
 * <file|none>)}, and writes the same facts to {@code <data>/rack.ready} ({@code name},
 * {@code console}, {@code gears}, {@code patch}, {@code pid}; atomically, removed at stop) for the
 * launcher, which must not read log lines. Both on the patch loop thread, never blocking activation.
 *
 * <p><b>Stop.</b> The bnd launcher does not stop the framework on SIGTERM, so components would
 * never deactivate. A JVM shutdown hook (registered at activation, removed at deactivation unless
 * it is the one stopping us) stops the system bundle, waits up to 20 s for the framework to
 * stop, and prints {@code fluxrig rack <name> stopped}. When the framework is stopped another way
 * (e.g. {@code stop 0} in gogo), deactivation prints that line instead. The line texts are built
 * at activation so no class needs loading while the framework is going down.
 */
@Component(immediate = true)
public final class RackLifecycle {
    private static final long STOP_WAIT_MS = 20_000;
    /** The readiness file in the rack's data folder. */
    public static final String READY_FILE = "rack.ready";

    private final BundleContext context;
    private final java.nio.file.Path readyFile;
    private final String stoppedLine;
    private final Thread hook;
    private final AtomicBoolean hookRunning = new AtomicBoolean();
    private final AtomicBoolean stoppedPrinted = new AtomicBoolean();
    private final AtomicBoolean readyPrinted = new AtomicBoolean();
    private final ConsoleEndpoint console;
    private volatile boolean active = true;

    /**
     * @param context the rack bundle's context (settings, system bundle)
     * @param patches the patch manager whose first outcome means "ready"
     */
    @Activate
    public RackLifecycle(BundleContext context, @Reference PatchManager patches) {
        this.context = context;
        RackSettings s = patches.settings();
        this.stoppedLine = "fluxrig rack " + s.name() + " stopped";
        this.readyFile = s.data().resolve(READY_FILE);
        String readyPrefix = "fluxrig rack " + s.name() + " ready: console " + s.consoleUrl() + " (gears: ";
        String readySuffix = ", patch: " + s.patchText() + ")";
        this.hook = new Thread(this::stopFramework, "fluxrig-rack-" + s.name() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        this.console = new ConsoleEndpoint(context, s.consolePort());
        patches.firstOutcome().thenCombine(console.found(), (p, endpoint) -> p).thenAccept(p -> {
            if (active && readyPrinted.compareAndSet(false, true)) {
                System.out.println(readyPrefix + p.gears().size() + readySuffix);
                System.out.flush();
                writeReady("name=" + s.name() + "\nconsole=" + s.consoleUrl() + "\ngears=" + p.gears().size() + "\npatch="
                        + s.patchText() + "\npid=" + ProcessHandle.current().pid() + "\n");
            }
        });
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
        printStopped();
    }

    private void writeReady(String text) {
        java.nio.file.Path tmp = readyFile.resolveSibling(READY_FILE + ".tmp");
        try {
            java.nio.file.Files.writeString(tmp, text);
            java.nio.file.Files.move(tmp, readyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            System.err.println("fluxrig: cannot write " + readyFile + ": " + e);
        }
    }

    private void printStopped() {
        try {
            java.nio.file.Files.deleteIfExists(readyFile);
        } catch (java.io.IOException e) {
            // the launcher removes a stale one before the next start
        }
        if (stoppedPrinted.compareAndSet(false, true)) {
            System.out.println(stoppedLine);
            System.out.flush();
        }
    }

    @Deactivate
    void deactivate() {
        active = false;
        console.close();
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
