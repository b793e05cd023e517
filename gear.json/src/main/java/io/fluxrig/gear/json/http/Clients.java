package io.fluxrig.gear.json.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the one Jetty {@link HttpClient} an instance owns (its connection pool, its selector and
 * its small I/O thread pool {@code fluxrig-json.http-<instance>-io}) from the configuration:
 * version, connect timeout and TLS. Reading the PKCS12 stores is a small local file read, done
 * once at activation. The client is returned started: starting it starts threads and opens no
 * connection. Stateless.
 */
final class Clients {
    /** The I/O pool's upper bound: the selector, the connector's reserved threads and response parsing. */
    private static final int IO_THREADS = 8;

    private Clients() {
    }

    /**
     * @param config the configuration
     * @param instance the instance name (thread names)
     * @return the started client; the caller stops it
     * @throws IllegalArgumentException naming the attribute when a setting or a store is unusable
     */
    static HttpClient build(HttpConfig config, String instance) {
        if (config.connect_timeout_ms() <= 0) {
            throw new IllegalArgumentException("json.http config connect.timeout.ms must be > 0");
        }
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (!blank(config.trust_store()) || !blank(config.key_store())) {
            tls.setSslContext(ssl(config));
        }
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        connector.setSelectors(1);
        HttpClientTransport transport = switch (config.http_version()) {
            case "HTTP_1_1" -> new HttpClientTransportOverHTTP(connector);
            // HTTP/2 where TLS negotiates it (ALPN), HTTP/1.1 otherwise (and always in clear text).
            case "HTTP_2" -> new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11,
                    new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)));
            default -> throw new IllegalArgumentException("json.http config http.version: '" + config.http_version()
                    + "' is not HTTP_1_1 or HTTP_2");
        };
        QueuedThreadPool io = new QueuedThreadPool(IO_THREADS, 1);
        io.setName("fluxrig-json.http-" + instance + "-io");
        io.setDaemon(true);
        HttpClient client = new HttpClient(transport);
        client.setExecutor(io);
        client.setConnectTimeout(config.connect_timeout_ms());
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setMaxConnectionsPerDestination(Math.max(64, Math.min(config.max_in_flight(), 1024)));
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, config.max_in_flight()));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("json.http: the HTTP client did not start: " + e, e);
        }
        return client;
    }

    /** Stops a client built here (its connections and threads); never throws. */
    static void stop(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping is best effort: the threads are daemons and the connections close with them
        }
    }

    private static SSLContext ssl(HttpConfig config) {
        try {
            TrustManagerFactory tmf = null;
            if (!blank(config.trust_store())) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load("trust.store", config.trust_store(), config._trust_store_password()));
            }
            KeyManagerFactory kmf = null;
            if (!blank(config.key_store())) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load("key.store", config.key_store(), config._key_store_password()), chars(config._key_store_password()));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("json.http config TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String attribute, String file, String password) {
        try (InputStream in = Files.newInputStream(Path.of(file.trim()))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, chars(password));
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("json.http config " + attribute + ": cannot load PKCS12 " + file + ": " + e.getMessage(), e);
        }
    }

    private static char[] chars(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
