package io.fluxrig.rack.telemetry;

import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the rack's metrics in the Prometheus text format, for a request that
 * carries {@code Authorization: Bearer <token>} with the token of the rack's token file; anything
 * else gets 401 and no metrics. The token is compared in constant time and never logged.
 * Registered on the rack's HTTP server (the Web Console's, bound like it) through the HTTP
 * whiteboard by {@link TelemetryComponent}. Thread-safe: the reader collects per request.
 */
final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient PrometheusMetricReader reader;
    private final transient byte[] expected;
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    MetricsServlet(PrometheusMetricReader reader, String token) {
        this.reader = reader;
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** @return whether the Authorization header carries the token */
    boolean authorised(String authorization) {
        return authorization != null
                && MessageDigest.isEqual(expected, authorization.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes every metric in the Prometheus text format. */
    void write(OutputStream out) throws IOException {
        writer.write(out, reader.collect(), EscapingScheme.UNDERSCORE_ESCAPING);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!authorised(req.getHeader("Authorization"))) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"fluxrig metrics\"");
            resp.sendError(HttpServletResponse.SC_UNAUTHORIZED, "a bearer token is required (the rack's metrics token file)");
            return;
        }
        resp.setContentType(writer.getContentType());
        try (OutputStream out = resp.getOutputStream()) {
            write(out);
        }
    }
}
