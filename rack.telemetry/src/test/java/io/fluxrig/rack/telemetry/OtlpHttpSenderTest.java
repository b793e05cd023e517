package io.fluxrig.rack.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.OtlpReceiver;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** The rack's OTLP/HTTP sender against real sockets: a real receiver, and peers that stall. */
class OtlpHttpSenderTest {

    /** Spans and metrics go out through the rack's sender, with the configured headers on every request. */
    @Test
    void exportsCarryTheConfiguredHeadersAndTheProtobufContentType() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            TelemetryPipeline pipeline = new TelemetryPipeline(TelemetrySettings.from(Map.of("enabled", true,
                    "endpoint", receiver.endpoint(), "export.timeout.ms", 20_000, "metrics.interval.ms", 200),
                    Map.of("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20collector-token,x-tenant=payments")), "edge");
            try {
                for (int i = 0; i < 5; i++) {
                    pipeline.sdk.getTracer("test").spanBuilder("s" + i).startSpan().end();
                }
                Await.until("five spans and a metrics export at the receiver",
                        () -> receiver.spans().size() == 5 && !receiver.metricRequests().isEmpty());
            } finally {
                pipeline.close();
            }
            List<Map<String, String>> requests = receiver.requestHeaders();
            assertTrue(requests.size() >= 2, "requests: " + requests.size());
            for (Map<String, String> h : requests) {
                assertEquals("Bearer collector-token", h.get("authorization"), "headers: " + h.keySet());
                assertEquals("payments", h.get("x-tenant"));
                assertEquals("application/x-protobuf", h.get("content-type"));
            }
        }
    }

    /**
     * A collector that accepts the connection but never reads: the write blocks once the socket
     * buffers are full, and the request is cut when its timeout has passed, reported as an error
     * that names the timeout; the exporting thread is free again.
     */
    @Test
    void aCollectorThatStopsReadingIsCutAtTheTimeout() throws Exception {
        try (ServerSocket stalled = new ServerSocket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    held.add(stalled.accept());
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor();
            try {
                OtlpHttpSender sender = new OtlpHttpSender(config("http://127.0.0.1:" + stalled.getLocalPort() + "/v1/traces",
                        Duration.ofMillis(500)), timeouts);
                // 256 MiB: far more than the socket buffers of both ends hold.
                Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> send(sender, zeros(256 << 20)));
                assertInstanceOf(IOException.class, failure);
                assertTrue(failure.getMessage().contains("took longer than its timeout of 500 ms"), failure.toString());
                assertTrue(failure.getMessage().contains("127.0.0.1"), failure.toString());
                assertEquals(1, held.size(), "the collector took the connection");
            } finally {
                timeouts.shutdownNow();
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /** A collector that reads the whole request and never answers: the read times out. */
    @Test
    void aCollectorThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    Socket s = silent.accept();
                    held.add(s);
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException closed) {
                    // the test is over
                }
            });
            reader.start();
            ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor();
            try {
                OtlpHttpSender sender = new OtlpHttpSender(config("http://127.0.0.1:" + silent.getLocalPort() + "/v1/traces",
                        Duration.ofMillis(300)), timeouts);
                Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> send(sender, zeros(1024)));
                assertInstanceOf(IOException.class, failure);
            } finally {
                timeouts.shutdownNow();
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /** Two requests in a row: each answer is read to its end and reported with its status. */
    @Test
    void answersAreReportedWithTheirStatus() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor();
            try {
                OtlpHttpSender sender = new OtlpHttpSender(config(receiver.endpoint() + "/v1/metrics", Duration.ofSeconds(20)), timeouts);
                AtomicReference<HttpResponse> ok = new AtomicReference<>();
                sender.send(empty(), ok::set, e -> {
                    throw new AssertionError(e);
                });
                assertEquals(200, ok.get().getStatusCode());
                receiver.refuse(true);
                AtomicReference<HttpResponse> refused = new AtomicReference<>();
                sender.send(empty(), refused::set, e -> {
                    throw new AssertionError(e);
                });
                assertEquals(503, refused.get().getStatusCode());
                assertEquals(2, receiver.requestHeaders().size());
            } finally {
                timeouts.shutdownNow();
            }
        }
    }

    /** Compression, a proxy and a TLS context of its own: the pipeline sets none, and the sender refuses each. */
    @Test
    void settingsThePipelineNeverMakesAreRefusedWhenTheSenderIsMade() throws Exception {
        Compressor gzip = new Compressor() {
            @Override
            public String getEncoding() {
                return "gzip";
            }

            @Override
            public OutputStream compress(OutputStream out) throws IOException {
                return new java.util.zip.GZIPOutputStream(out);
            }
        };
        IllegalArgumentException compressed = assertThrows(IllegalArgumentException.class,
                () -> new OtlpHttpSender(config("http://127.0.0.1:1/v1/traces", Duration.ofSeconds(1), gzip, null, null), null));
        assertTrue(compressed.getMessage().startsWith("compression:"), compressed.getMessage());
        ProxyOptions proxy = ProxyOptions.create(new InetSocketAddress("127.0.0.1", 3128));
        IllegalArgumentException proxied = assertThrows(IllegalArgumentException.class,
                () -> new OtlpHttpSender(config("http://127.0.0.1:1/v1/traces", Duration.ofSeconds(1), null, proxy, null), null));
        assertTrue(proxied.getMessage().startsWith("proxy or TLS context:"), proxied.getMessage());
        SSLContext tls = SSLContext.getDefault();
        IllegalArgumentException ownTls = assertThrows(IllegalArgumentException.class,
                () -> new OtlpHttpSender(config("https://127.0.0.1:1/v1/traces", Duration.ofSeconds(1), null, null, tls), null));
        assertTrue(ownTls.getMessage().startsWith("proxy or TLS context:"), ownTls.getMessage());
    }

    /** @return what the sender reported as error, or fails when it reported an answer */
    private static Throwable send(OtlpHttpSender sender, MessageWriter message) {
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<HttpResponse> answer = new AtomicReference<>();
        sender.send(message, answer::set, error::set);
        assertNull(answer.get(), "no answer expected");
        assertNotNull(error.get(), "the send reported neither an answer nor an error");
        return error.get();
    }

    private static MessageWriter zeros(int length) {
        return new MessageWriter() {
            @Override
            public void writeMessage(OutputStream out) throws IOException {
                byte[] chunk = new byte[64 * 1024];
                for (int left = length; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, Math.min(left, chunk.length));
                }
            }

            @Override
            public int getContentLength() {
                return length;
            }
        };
    }

    private static MessageWriter empty() {
        return zeros(0);
    }

    private static HttpSenderConfig config(String endpoint, Duration timeout) {
        return config(endpoint, timeout, null, null, null);
    }

    private static HttpSenderConfig config(String endpoint, Duration timeout, Compressor compressor, ProxyOptions proxy, SSLContext tls) {
        return new HttpSenderConfig() {
            @Override
            public URI getEndpoint() {
                return URI.create(endpoint);
            }

            @Override
            public String getContentType() {
                return "application/x-protobuf";
            }

            @Override
            public Compressor getCompressor() {
                return compressor;
            }

            @Override
            public Duration getTimeout() {
                return timeout;
            }

            @Override
            public Duration getConnectTimeout() {
                return timeout;
            }

            @Override
            public Supplier<Map<String, List<String>>> getHeadersSupplier() {
                return Map::of;
            }

            @Override
            public ProxyOptions getProxyOptions() {
                return proxy;
            }

            @Override
            public RetryPolicy getRetryPolicy() {
                return null;
            }

            @Override
            public SSLContext getSslContext() {
                return tls;
            }

            @Override
            public X509TrustManager getTrustManager() {
                return null;
            }

            @Override
            public ExecutorService getExecutorService() {
                return null;
            }
        };
    }
}
