package io.fluxrig.rack.runtime;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Completes once Felix HTTP serves on the console's port: its servlet runtime service announces
 * the address in {@value #ENDPOINT}. Felix HTTP takes its port from ConfigAdmin
 * ({@code etc/org.apache.felix.http.cfg}), which may arrive after the rack's first patch; the
 * readiness line waits for this so that "ready" means the console answers. Matched by class name,
 * so the rack needs no servlet API. The framework calls the listener on its event threads;
 * {@link #found} is thread-safe. {@link #close()} removes the listener.
 */
final class ConsoleEndpoint implements ServiceListener, AutoCloseable {
    static final String RUNTIME = "org.osgi.service.servlet.runtime.HttpServiceRuntime";
    static final String ENDPOINT = "osgi.http.endpoint";

    private final BundleContext context;
    private final int port;
    private final CompletableFuture<String> found = new CompletableFuture<>();

    /**
     * @param port the console's port; 0 or less: any
     */
    ConsoleEndpoint(BundleContext context, int port) {
        this.context = context;
        this.port = port;
        try {
            context.addServiceListener(this, "(objectClass=" + RUNTIME + ")");
            ServiceReference<?>[] refs = context.getAllServiceReferences(RUNTIME, null);
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    check(r);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // a constant filter
        }
    }

    /** @return completes with the endpoint (e.g. {@code http://127.0.0.1:8181/}) */
    CompletableFuture<String> found() {
        return found;
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() != ServiceEvent.UNREGISTERING) {
            check(event.getServiceReference());
        }
    }

    private void check(ServiceReference<?> ref) {
        Object v = ref.getProperty(ENDPOINT);
        String[] urls = v instanceof String[] a ? a : v instanceof String one ? new String[] {one} : new String[0];
        for (String url : urls) {
            try {
                if (port <= 0 || URI.create(url).getPort() == port) {
                    found.complete(url);
                }
            } catch (IllegalArgumentException notAUri) {
                // another runtime's odd endpoint: not ours
            }
        }
    }

    @Override
    public void close() {
        context.removeServiceListener(this);
    }
}
