package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.artifact.Artifacts;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /snake/artifacts/<hex>}: streams a stored artifact to an authenticated rack. The
 * write blocks this Jetty thread while HTTP/2 flow control holds it back (a slow reader slows only
 * its own stream; other streams on the connection, such as heartbeats, go on). Stateless.
 */
final class ArtifactEndpoint {
    private final Artifacts artifacts;
    private final SnakeObserver observer;
    private final ObjectMapper json;

    ArtifactEndpoint(Artifacts artifacts, SnakeObserver observer, ObjectMapper json) {
        this.artifacts = artifacts;
        this.observer = observer;
        this.json = json;
    }

    void send(String rack, String hex, Request request, Response response, Callback callback) {
        Path file = artifacts.file(hex).orElse(null);
        if (file == null) {
            Exchange.error(response, callback, json, 404, "no artifact sha256:" + hex + " on this Mixer");
            return;
        }
        long sent = 0;
        long start = System.currentTimeMillis();
        try (InputStream in = Files.newInputStream(file)) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(file));
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0;) {
                    out.write(buf, 0, n);
                    sent += n;
                }
            }
            callback.succeeded();
        } catch (Exception e) {
            callback.failed(e);
        } finally {
            observer.artifact(rack, RackAuth.connection(request), sent, start, System.currentTimeMillis());
        }
    }
}
