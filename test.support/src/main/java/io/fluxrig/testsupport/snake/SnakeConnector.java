package io.fluxrig.testsupport.snake;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Many Snake connections from one JVM without a thread per connection: one Jetty
 * {@link HTTP2Client} (a few selector threads and a small pool, shared by every connection), and per
 * rack one HTTP/2 session over TLS 1.3 with that rack's own {@link SSLContext} (its certificate,
 * the Mixer CA as the only trust anchor). A fleet simulator opens thousands; a test opens a few.
 *
 * <p>Threading: {@link #connect} and every {@link Connection#exchange} are asynchronous; their
 * futures complete on the connector's pool and callers must only hand work off there. Owns its
 * threads until {@link #close}.
 */
public final class SnakeConnector implements AutoCloseable {
    private final HTTP2Client client;
    private final String host;
    private final int port;

    /**
     * @param host the Mixer's Snake host (an IP literal or a name its certificate carries)
     * @param port the Snake port
     * @param selectors selector threads shared by every connection (2 fit a small machine)
     * @param threads the pool's largest size (selectors included)
     * @throws Exception when the client does not start
     */
    public SnakeConnector(String host, int port, int selectors, int threads) throws Exception {
        this.host = host;
        this.port = port;
        QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(threads, selectors + 2));
        pool.setName("snake-connector");
        pool.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(selectors);
        connector.setExecutor(pool);
        connector.setConnectTimeout(java.time.Duration.ofSeconds(60));
        connector.setIdleTimeout(java.time.Duration.ofMinutes(5));
        this.client = new HTTP2Client(connector);
        client.setInitialSessionRecvWindow(1024 * 1024);
        client.setInitialStreamRecvWindow(1024 * 1024);
        client.start();
    }

    /** A response: status and body. */
    public record Reply(int status, byte[] body) {
    }

    /**
     * Opens one HTTP/2 connection (TLS 1.3 with ALPN h2).
     *
     * @param tls the connection's context: the rack's key and chain, the Mixer CA as trust
     * @return the connection, once the TLS handshake and the HTTP/2 preface are done
     */
    public CompletableFuture<Connection> connect(SSLContext tls) {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(tls);
        ssl.setIncludeProtocols("TLSv1.3");
        ssl.setEndpointIdentificationAlgorithm("HTTPS"); // the Mixer's SANs hold the host dialled
        try {
            ssl.start();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.connect(ssl, new InetSocketAddress(host, port), new Session.Listener() { })
                .thenApply(Connection::new);
    }

    /** One rack's HTTP/2 session; requests on it are multiplexed streams. Thread-safe. */
    public final class Connection {
        private final Session session;

        private Connection(Session session) {
            this.session = session;
        }

        /** @return whether the session was closed (by either end): open a new connection */
        public boolean closed() {
            return session.isClosed();
        }

        /**
         * One request on its own stream.
         *
         * @param method GET or POST
         * @param path the path and query
         * @param json a JSON body, or null for none
         * @param timeoutMillis the stream's idle timeout
         * @return the reply; fails when the stream is reset or the session closes
         */
        public CompletableFuture<Reply> exchange(String method, String path, byte[] json, long timeoutMillis) {
            HttpFields.Mutable fields = HttpFields.build();
            if (json != null) {
                fields.put("content-type", "application/json");
                fields.put("content-length", Integer.toString(json.length));
            }
            MetaData.Request meta = new MetaData.Request(method, HttpURI.build("https://" + host + ":" + port + path),
                    HttpVersion.HTTP_2, fields);
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            ResponseListener listener = new ResponseListener(reply);
            session.newStream(new HeadersFrame(meta, null, json == null), listener).whenComplete((stream, e) -> {
                if (e != null) {
                    reply.completeExceptionally(e);
                    return;
                }
                stream.setIdleTimeout(timeoutMillis);
                if (json != null) {
                    stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(json), true), Callback.from(() -> { },
                            reply::completeExceptionally));
                }
            });
            return reply;
        }

        /** Closes the session (GOAWAY, then the socket). */
        public void close() {
            session.close(0, "closed", Callback.NOOP);
        }
    }

    /**
     * Collects one response: status from the headers, body from the data frames. A stream can be
     * closed before its last data is read (onClosed comes first), so only a reset, a failure (the
     * session closing) or the idle timeout fail the reply.
     */
    private static final class ResponseListener implements Stream.Listener {
        private final CompletableFuture<Reply> reply;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private volatile int status;

        ResponseListener(CompletableFuture<Reply> reply) {
            this.reply = reply;
        }

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response r) {
                status = r.getStatus();
            }
            if (frame.isEndStream()) {
                reply.complete(new Reply(status, new byte[0]));
            } else {
                stream.demand();
            }
        }

        @Override
        public void onDataAvailable(Stream stream) {
            Stream.Data data = stream.readData();
            if (data == null) {
                stream.demand();
                return;
            }
            ByteBuffer b = data.frame().getByteBuffer();
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            data.release();
            synchronized (body) {
                body.write(chunk, 0, chunk.length);
            }
            if (data.frame().isEndStream()) {
                synchronized (body) {
                    reply.complete(new Reply(status, body.toByteArray()));
                }
            } else {
                stream.demand();
            }
        }

        @Override
        public void onReset(Stream stream, org.eclipse.jetty.http2.frames.ResetFrame frame, Callback callback) {
            reply.completeExceptionally(new java.io.IOException("stream reset by the Mixer (error " + frame.getError() + ")"));
            callback.succeeded();
        }

        @Override
        public void onIdleTimeout(Stream stream, java.util.concurrent.TimeoutException x,
                org.eclipse.jetty.util.Promise<Boolean> promise) {
            reply.completeExceptionally(x);
            promise.succeeded(true);
        }

        @Override
        public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
            reply.completeExceptionally(failure != null ? failure : new java.io.IOException(reason));
            callback.succeeded();
        }
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
