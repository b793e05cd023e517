package io.fluxrig.mixer;

import io.fluxrig.mixer.ca.ServerIdentity;
import io.fluxrig.mixer.http.TlsServer;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * Serves a Mixer's API servlet as Felix HTTP does in the framework (a servlet on {@code /api/*}
 * in a Jetty 12 ee10 servlet context) over real TLS 1.3 with a certificate of the Mixer CA, so
 * plain-Java tests call the API exactly as operators do.
 */
final class ApiTestServer implements AutoCloseable {
    private final TlsServer server;

    ApiTestServer(Mixer mixer) throws Exception {
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(mixer.api()), "/api/*");
        context.addServlet(new ServletHolder(mixer.rolloutApi()), "/api/rollouts/*");
        ServerIdentity identity = mixer.ca().issueServer(java.util.List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        this.server = TlsServer.start("test-api", "127.0.0.1", 0, identity, mixer.ca().certificate(), false, context);
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
