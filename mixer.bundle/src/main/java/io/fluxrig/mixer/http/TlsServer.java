package io.fluxrig.mixer.http;

import io.fluxrig.snake.api.LogText;
import io.fluxrig.mixer.ca.ServerIdentity;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One embedded Jetty 12 server with a single TLS connector: TLS 1.3 only, HTTP/2 over ALPN
 * (h2, with http/1.1 for curl and openssl), no plaintext listener.
 *
 * <p>Security: the SSLContext trusts only the Mixer CA. With {@code wantClientAuth} a client
 * certificate is optional at the TLS layer (enrolment has none yet), but one that is presented
 * must chain to the Mixer CA and be within its validity, or the handshake fails; handlers then
 * require a certificate where they need one. Jetty is embedded privately in mixer.bundle (the
 * Felix jetty12 bundle lacks the JDK ALPN processor), so this is an independent server with its
 * own thread pool, started and stopped by the Mixer.
 */
public final class TlsServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TlsServer.class);
    private final Server server;
    private final ServerConnector connector;

    private TlsServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts the server (binds the port; blocking).
     *
     * @param name thread name prefix
     * @param host bind address, or null/empty for all interfaces
     * @param port port, 0 for any
     * @param identity server key and chain
     * @param ca the Mixer CA, the only trust anchor for client certificates
     * @param wantClientAuth whether to ask clients for a certificate
     * @param handler the request handler
     * @return the running server
     * @throws Exception when it cannot start
     */
    public static TlsServer start(String name, String host, int port, ServerIdentity identity, X509Certificate ca,
            boolean wantClientAuth, Handler handler) throws Exception {
        return start(name, host, port, identity, ca, wantClientAuth, SnakeLimits.DEFAULTS, handler);
    }

    /**
     * Starts the server (binds the port; blocking) with the given limits.
     *
     * @param name thread name prefix
     * @param host bind address, or null/empty for all interfaces
     * @param port port, 0 for any
     * @param identity server key and chain
     * @param ca the Mixer CA, the only trust anchor for client certificates
     * @param wantClientAuth whether to ask clients for a certificate; then requests without one are
     *        guarded by {@link UnauthenticatedLimit}
     * @param limits timeouts, data rate, connection and unauthenticated request caps
     * @param handler the request handler
     * @return the running server
     * @throws Exception when it cannot start
     */
    public static TlsServer start(String name, String host, int port, ServerIdentity identity, X509Certificate ca,
            boolean wantClientAuth, SnakeLimits limits, Handler handler) throws Exception {
        // Jetty loads its ALPN processor and header pre-encoders with ServiceLoader on the context
        // class loader, and its threads inherit it: in OSGi that must be this bundle's loader
        // (private Jetty copy), not whatever the calling thread had.
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(TlsServer.class.getClassLoader());
        try {
            // Initialise the pre-encoders now, while the context class loader is ours.
            Class.forName("org.eclipse.jetty.http.PreEncodedHttpField", true, TlsServer.class.getClassLoader());
            return build(name, host, port, identity, ca, wantClientAuth, limits, handler);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static TlsServer build(String name, String host, int port, ServerIdentity identity, X509Certificate ca,
            boolean wantClientAuth, SnakeLimits limits, Handler handler) throws Exception {
        // 32 threads: a rack's requests are short or asynchronous (the command poll, artifact
        // sends), enrolment bodies are read asynchronously, and UnauthenticatedLimit caps what
        // clients without a certificate can start.
        QueuedThreadPool pool = new QueuedThreadPool(32, 2);
        pool.setName(name);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.addCustomizer(new SecureRequestCustomizer(false)); // exposes the peer certificates
        // No setMinRequestDataRate: Jetty 12.0 keeps the setting but does not enforce it; the
        // unauthenticated enrolment body has its own deadline (SnakeHandler).
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        http.setRequestHeaderSize(16 * 1024);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        h2.setStreamIdleTimeout(limits.idleTimeout().toMillis());
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(h1.getProtocol());
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(sslContext(identity, ca));
        tls.setIncludeProtocols(TlsContexts.PROTOCOL);
        tls.setWantClientAuth(wantClientAuth);
        tls.setNeedClientAuth(false);
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, h1);
        c.setHost(host == null || host.isBlank() ? null : host);
        c.setPort(port);
        // Also bounds a TLS handshake or request headers that never complete: Jetty 12.0 has no
        // separate header deadline, the connection's idle timeout is it.
        c.setIdleTimeout(limits.idleTimeout().toMillis());
        // Handshake refusals (wrong CA, expired, TLS 1.2) only reach the client as an alert: log why.
        c.addBean(new org.eclipse.jetty.io.ssl.SslHandshakeListener() {
            @Override
            public void handshakeFailed(Event event, Throwable failure) {
                LOG.warn("{}: TLS handshake refused: {}", name, LogText.escape(failure.getMessage()));
            }
        });
        server.addConnector(c);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), c));
        server.setHandler(wantClientAuth ? UnauthenticatedLimit.around(limits, SnakeCodec.newMapper(), handler) : handler);
        server.start();
        return new TlsServer(server, c);
    }

    static SSLContext sslContext(ServerIdentity identity, X509Certificate ca) throws GeneralSecurityException {
        return TlsContexts.context(TlsContexts.keyManagers(identity.key(), identity.chain()),
                new ClientCertTrust(TlsContexts.trustOnly(ca)));
    }

    /** @return the bound port */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return the connections open now (TLS handshake done or not) */
    public int connections() {
        return connector.getConnectedEndPoints().size();
    }

    /**
     * Closes every connection whose client certificate names this rack (used on revoke).
     *
     * @param rack the rack name (certificate CN)
     * @return how many connections were closed
     */
    public int closeConnectionsOf(String rack) {
        int closed = 0;
        for (EndPoint ep : List.copyOf(connector.getConnectedEndPoints())) {
            if (ep.getConnection() instanceof SslConnection ssl && rack.equals(PeerIdentity.rackOf(ssl.getSSLEngine().getSession()))) {
                ep.close();
                closed++;
            }
        }
        return closed;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
