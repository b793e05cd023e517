package io.fluxrig.mixer.operator;

import io.fluxrig.mixer.Mixer;
import io.fluxrig.mixer.MixerSettings;
import io.fluxrig.mixer.store.RackRegistry;
import io.fluxrig.snake.api.OperatorPaths;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator surface of a running Mixer on Felix HTTP: one HTTPS address (default
 * 127.0.0.1:8443) serving the REST API under {@code /api/*} (the {@code ApiHandler} servlet, on
 * the servlet whiteboard) and the Web Console with its "Racks" page under {@code /system/console}.
 *
 * <p>Why these are registered here and not as plain DS references: the Mixer starts on its own
 * thread after activation (NATS may be slow or down), so its parts exist only later. The start
 * thread registers them once the Mixer runs: the {@link OperatorEndpoint} (which
 * {@link FelixHttpsConfiguration} turns into Felix HTTP's configuration), the
 * {@link RackRegistry} (for the Racks page) and the API servlet. Owned by {@code MixerComponent}:
 * registered from its start thread, closed on deactivation before the Mixer closes.
 */
public final class OperatorServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorServices.class);
    /** Servlet whiteboard property (OSGi Servlet Whiteboard 2.0, same name as HTTP Whiteboard 1.x). */
    private static final String SERVLET_PATTERN = "osgi.http.whiteboard.servlet.pattern";

    private final List<ServiceRegistration<?>> registrations;
    private final OperatorEndpoint endpoint;
    private final Mixer mixer;

    private OperatorServices(List<ServiceRegistration<?>> registrations, OperatorEndpoint endpoint, Mixer mixer) {
        this.registrations = registrations;
        this.endpoint = endpoint;
        this.mixer = mixer;
    }

    /**
     * Writes the endpoint's key store (a server certificate from the Mixer CA) and registers the
     * services. Blocking file I/O: call it on the Mixer's start thread.
     *
     * @param context mixer.bundle's context
     * @param mixer the running Mixer
     * @param settings its settings (data folder, API address, certificate names)
     * @return the registrations, to close when the Mixer stops
     * @throws IOException when the key store cannot be written
     * @throws GeneralSecurityException when the server certificate cannot be issued
     * @throws IllegalArgumentException when the API port is 0 (see {@link OperatorEndpoint})
     */
    public static OperatorServices register(BundleContext context, Mixer mixer, MixerSettings settings)
            throws IOException, GeneralSecurityException {
        OperatorEndpoint.checkPort(settings.apiPort());
        HttpsKeystore ks = HttpsKeystore.write(settings.data(),
                mixer.ca().issueServer(settings.serverNames(), Duration.ofDays(30)), new SecureRandom());
        OperatorEndpoint endpoint = new OperatorEndpoint(settings.apiHost(), settings.apiPort(), ks);
        List<ServiceRegistration<?>> regs = new ArrayList<>();
        Hashtable<String, Object> api = new Hashtable<>();
        api.put(SERVLET_PATTERN, OperatorPaths.PREFIX + "/*");
        regs.add(context.registerService(Servlet.class, mixer.api(), api));
        regs.add(context.registerService(io.fluxrig.mixer.metrics.MixerInstruments.class, mixer.instruments(), null)); // metrics
        Hashtable<String, Object> rollouts = new Hashtable<>();
        rollouts.put(SERVLET_PATTERN, io.fluxrig.snake.api.rollout.RolloutPaths.ROLLOUTS + "/*");
        regs.add(context.registerService(Servlet.class, mixer.rolloutApi(), rollouts));
        regs.add(context.registerService(RackRegistry.class, mixer.store().racks(), null));
        regs.add(context.registerService(io.fluxrig.mixer.rollout.Rollouts.class, mixer.rollouts(), null)); // the Rollouts page
        Hashtable<String, Object> cap = new Hashtable<>(); // the Rollouts page's uploads: the API's cap
        cap.put(io.fluxrig.mixer.artifact.Artifacts.MAX_BYTES, settings.artifactMaxBytes());
        regs.add(context.registerService(io.fluxrig.mixer.artifact.Artifacts.class, mixer.artifacts(), cap));
        regs.add(context.registerService(OperatorEndpoint.class, endpoint, null));
        return new OperatorServices(regs, endpoint, mixer);
    }

    /**
     * Waits until the endpoint answers with the Mixer's certificate and the API servlet mounted.
     *
     * @return its base URL, e.g. {@code https://127.0.0.1:8443}
     * @throws InterruptedException when the Mixer stops meanwhile
     */
    public String awaitEndpoint() throws InterruptedException {
        EndpointProbe.await(endpoint.url(), mixer.ca().certificate(), Duration.ofSeconds(30),
                why -> LOG.error("the operator HTTPS endpoint {} does not answer yet (still waiting): {}", endpoint.url(), why));
        return endpoint.url();
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
