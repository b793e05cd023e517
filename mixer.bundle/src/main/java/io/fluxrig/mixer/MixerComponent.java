package io.fluxrig.mixer;

import io.fluxrig.mixer.operator.OperatorServices;
import java.time.Clock;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Mixer} inside the framework. Activation only validates the settings and
 * starts a component-owned thread; that thread does all blocking work (files, NATS, ports) and
 * retries with backoff while NATS is unreachable. Deactivation interrupts the thread, waits for
 * it, and closes the Mixer. A configuration change re-activates the component (DS default).
 * On SIGTERM, framework.stop's shutdown hook stops the framework so that this deactivation runs;
 * when the whole framework is stopping, deactivation ends by printing {@code fluxrig mixer stopped}.
 * While the Mixer is not ready, a second component-owned thread says every
 * {@value #SLOW_START_REPORT_MS} ms where the start thread is (a start held up by NATS, a port or
 * the file system is then named in the log, not only by its silence).
 */
@Component(immediate = true, configurationPid = MixerSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MixerConfig.class)
public final class MixerComponent {
    private static final Logger LOG = LoggerFactory.getLogger(MixerComponent.class);
    /** Printed once the Mixer has closed while the framework stops (SIGTERM, {@code stop 0}). */
    private static final String STOPPED_LINE = "fluxrig mixer stopped";
    /** How long a start may take before the watch reports where it is, and how often after that. */
    static final long SLOW_START_REPORT_MS = 20_000;
    /** Frames of the start thread's stack in a report. */
    private static final int REPORTED_FRAMES = 8;

    private final MixerSettings settings;
    private final BundleContext context;
    private final Thread runner;
    private final Thread watch;
    /** Set by the start thread once the ready file is written; read by the watch. */
    private volatile boolean ready;
    private final Object lock = new Object();
    private Mixer mixer; // guarded by lock
    private OperatorServices operator; // guarded by lock: the API and console on Felix HTTPS
    private boolean stopped; // guarded by lock

    /**
     * @param context for the operator services
     * @param config the configuration; the Mixer's folder is the working directory
     */
    @Activate
    public MixerComponent(BundleContext context, MixerConfig config) {
        this.settings = MixerSettings.from(config, java.nio.file.Path.of("").toAbsolutePath());
        this.context = context;
        this.runner = new Thread(this::run, "fluxrig-mixer-start");
        this.watch = new Thread(this::watchStart, "fluxrig-mixer-start-watch");
        watch.setDaemon(true);
        runner.start();
        watch.start();
    }

    /** Until the Mixer is ready (or stops): every {@link #SLOW_START_REPORT_MS}, logs where the start thread is. */
    private void watchStart() {
        long waited = 0;
        try {
            while (true) {
                Thread.sleep(SLOW_START_REPORT_MS);
                waited += SLOW_START_REPORT_MS;
                if (ready || !runner.isAlive()) {
                    return;
                }
                StringBuilder at = new StringBuilder();
                StackTraceElement[] stack = runner.getStackTrace();
                for (int i = 0; i < Math.min(REPORTED_FRAMES, stack.length); i++) {
                    at.append(i == 0 ? "" : " < ").append(stack[i]);
                }
                LOG.warn("Mixer not ready after {} s; its start thread is at {}", waited / 1000, at);
            }
        } catch (InterruptedException e) {
            // the Mixer stops
        }
    }

    private void run() {
        long backoff = 500;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Mixer m = Mixer.start(settings, Clock.systemUTC(), this::handOverToken);
                OperatorServices surface;
                synchronized (lock) {
                    if (stopped) {
                        m.close();
                        return;
                    }
                    try {
                        surface = OperatorServices.register(context, m, settings);
                    } catch (Exception e) {
                        m.close();
                        throw e;
                    }
                    mixer = m;
                    operator = surface;
                }
                String endpoint = surface.awaitEndpoint();
                // The line first, then the file: whoever sees mixer.ready finds the line already printed.
                System.out.println(m.readyLine(endpoint));
                System.out.flush();
                HandOffFiles.writeReady(settings.data(), endpoint, settings.advertise(), endpoint + "/system/console");
                ready = true;
                return;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.error("Mixer start failed (retrying in {} ms): {}", backoff, e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /** The operator token goes to its 0600 file only: never to stdout, where logs would keep it. */
    private void handOverToken(String token) {
        try {
            HandOffFiles.writeToken(settings.data(), token);
            System.out.println("fluxrig mixer: operator API token written to " + settings.data().resolve(HandOffFiles.TOKEN)
                    + " (mode 0600; the Mixer keeps only its hash)");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the operator token file", e);
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        HandOffFiles.removeReady(settings.data());
        Mixer m;
        synchronized (lock) {
            stopped = true;
            m = mixer;
            mixer = null;
            if (operator != null) {
                operator.close();
            }
        }
        watch.interrupt();
        runner.interrupt();
        runner.join(10_000);
        if (m != null) {
            m.close();
            LOG.info("Mixer closed: API and Snake servers stopped, NATS connection closed");
        }
        org.osgi.framework.Bundle system = context.getBundle(0);
        if (system != null && system.getState() == org.osgi.framework.Bundle.STOPPING) {
            System.out.println(STOPPED_LINE);
            System.out.flush();
        }
    }
}
