package io.fluxrig.rack.runtime;

import io.fluxrig.rack.runtime.apply.PatchManager;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Announces the rack: ready and stopped.
 *
 * <p><b>Ready.</b> Prints exactly one line to stdout once the first patch was applied (or
 * refused, or there is none) and the Web Console serves on its configured port ({@link ConsoleEndpoint}): {@code fluxrig rack <name> ready: console <url> (gears: N, patch:
 * <file|none>)}, and writes the same facts to {@code <data>/rack.ready} ({@code name},
 * {@code console}, {@code gears}, {@code patch}, {@code pid}; atomically, removed at deactivation) for the
 * launcher, which must not read log lines. Both on the patch loop thread, never blocking activation.
 *
 * <p><b>Stopped.</b> Deactivation removes the readiness file and, when the whole framework is
 * stopping (SIGTERM through framework.stop's shutdown hook, or {@code stop 0} in gogo), prints
 * {@code fluxrig rack <name> stopped}. The line is built at activation so nothing needs building
 * while the framework goes down.
 */
@Component(immediate = true)
public final class RackLifecycle {
    /** The readiness file in the rack's data folder. */
    public static final String READY_FILE = "rack.ready";

    private final BundleContext context;
    private final java.nio.file.Path readyFile;
    private final String stoppedLine;
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

    @Deactivate
    void deactivate() {
        active = false;
        console.close();
        try {
            java.nio.file.Files.deleteIfExists(readyFile);
        } catch (java.io.IOException e) {
            // the launcher removes a stale one before the next start
        }
        Bundle system = context.getBundle(0);
        if (system != null && system.getState() == Bundle.STOPPING) {
            System.out.println(stoppedLine);
            System.out.flush();
        }
    }
}
