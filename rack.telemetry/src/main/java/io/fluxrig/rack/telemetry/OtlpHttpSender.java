package io.fluxrig.rack.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends one OTLP/HTTP request per export with the JDK's {@link HttpURLConnection}, on the thread
 * that exports: the batch span processor's or the periodic metric reader's own daemon thread,
 * which waits for every export's result anyway. The message is written straight into the
 * connection (fixed length, buffered), the answer read to its end so the JDK keeps the connection
 * alive for the next batch.
 *
 * <p>Why not the SDK's JDK {@code HttpClient} sender: it hands every request to an executor thread
 * and through the client's selector and worker threads, and at the rack's pace (a batch every few
 * hundred ms) that machinery cost more than the protobuf encoding itself; this sender does the same
 * HTTP exchange at about half the CPU per exported span (bench/README.md, "Which HTTP sender
 * exports the spans").
 *
 * <p>A request is bounded by {@link HttpSenderConfig#getTimeout()} as a whole: the connect and
 * every read time out on their own, and a write the peer stops taking (a stalled collector with a
 * full TCP window) is cut by disconnecting the connection from the {@code timeouts} scheduler when
 * the timeout has passed. A failure is reported to the exporter (which counts the batch as
 * dropped); nothing is retried.
 *
 * <p>Thread-safe: each call uses its own connection (the JDK's keep-alive cache shares idle ones).
 * The {@code timeouts} scheduler is owned by the {@link TelemetryPipeline}, not by this sender.
 */
final class OtlpHttpSender implements HttpSender {
    private static final int BUFFER = 64 * 1024;

    private final HttpSenderConfig config;
    private final URL url;
    private final ScheduledExecutorService timeouts;
    private final int connectTimeoutMs;
    private final long timeoutMs;

    OtlpHttpSender(HttpSenderConfig config, ScheduledExecutorService timeouts) {
        this.config = config;
        this.timeouts = timeouts;
        try {
            this.url = config.getEndpoint().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("endpoint: " + config.getEndpoint() + " is not a URL (" + e.getMessage() + ")", e);
        }
        // The pipeline configures none of these (an https endpoint uses the JVM's default trust); refused
        // here rather than half-supported by code nothing runs.
        if (config.getCompressor() != null) {
            throw new IllegalArgumentException("compression: the rack's OTLP sender sends uncompressed only");
        }
        if (config.getProxyOptions() != null || config.getSslContext() != null) {
            throw new IllegalArgumentException("proxy or TLS context: the rack's OTLP sender connects directly, with the JVM's default trust");
        }
        this.timeoutMs = millis(config.getTimeout(), 10_000);
        this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, millis(config.getConnectTimeout(), timeoutMs));
    }

    private static long millis(Duration d, long fallback) {
        return d == null || d.isZero() || d.isNegative() ? fallback : Math.max(1, d.toMillis());
    }

    @Override
    public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        HttpResponse response;
        try {
            response = post(message);
        } catch (IOException | RuntimeException e) {
            onError.accept(e);
            return;
        }
        onResponse.accept(response);
    }

    private HttpResponse post(MessageWriter message) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        ScheduledFuture<?> cut = timeouts.schedule(c::disconnect, timeoutMs, TimeUnit.MILLISECONDS);
        try {
            c.setConnectTimeout(connectTimeoutMs);
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setUseCaches(false);
            c.setRequestProperty("Content-Type", config.getContentType());
            Supplier<Map<String, List<String>>> headers = config.getHeadersSupplier();
            if (headers != null) {
                headers.get().forEach((name, values) -> values.forEach(v -> c.addRequestProperty(name, v)));
            }
            c.setFixedLengthStreamingMode(message.getContentLength());
            try (OutputStream out = new BufferedOutputStream(c.getOutputStream(), BUFFER)) {
                message.writeMessage(out);
            }
            int status = c.getResponseCode();
            String reason = c.getResponseMessage();
            byte[] body = readAll(status < 400 ? c.getInputStream() : c.getErrorStream(), config.getMaxResponseBodySize());
            return new Answer(status, reason == null ? "" : reason, body);
        } catch (IOException | RuntimeException e) {
            c.disconnect();
            if (cut.isDone()) {
                throw new IOException("OTLP request to " + redacted() + " took longer than its timeout of " + timeoutMs + " ms", e);
            }
            throw e;
        } finally {
            cut.cancel(false);
        }
    }

    /** @return the endpoint without user info or query, for an error message */
    private String redacted() {
        return url.getProtocol() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getPath();
    }

    /** Reads the answer to its end (so the connection can be kept), keeping at most {@code limit} bytes. */
    private static byte[] readAll(InputStream in, long limit) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (InputStream body = in) {
            byte[] kept = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, limit)));
            body.transferTo(OutputStream.nullOutputStream());
            return kept;
        }
    }

    @Override
    public CompletableResultCode shutdown() {
        // Nothing of its own to close: each request's connection is released when it ends, and the
        // timeout scheduler belongs to the pipeline.
        return CompletableResultCode.ofSuccess();
    }

    private record Answer(int status, String reason, byte[] body) implements HttpResponse {
        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public String getStatusMessage() {
            return reason;
        }

        @Override
        public byte[] getResponseBody() {
            return body;
        }
    }
}
