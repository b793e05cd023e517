package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.snake.api.ArtifactDigest;
import io.fluxrig.snake.api.ArtifactInfo;
import io.fluxrig.snake.api.OperatorPaths;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API's artifact routes: {@code POST /api/artifacts} stores the raw request body
 * (streamed to {@link Artifacts#store}, never held in memory) up to a size cap, and
 * {@code GET /api/artifacts/{hex}} says whether an artifact is stored. Called on Felix HTTP's
 * request threads after the bearer token was checked; the artifact folder is the only state.
 */
final class ArtifactRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactRoutes.class);
    private static final String PREFIX = OperatorPaths.ARTIFACTS + "/";
    /** At most this much of a refused upload is read and dropped, so that its client sees the 413. */
    static final long DISCARD_MAX = 1L << 30;

    private final Artifacts artifacts;
    private final long maxBytes;
    private final ObjectMapper json;

    /**
     * @param artifacts the Mixer's artifact folder
     * @param maxBytes the largest upload stored (framework property fluxrig.mixer.artifact.max.mb)
     * @param json the Mixer's mapper
     */
    ArtifactRoutes(Artifacts artifacts, long maxBytes, ObjectMapper json) {
        this.artifacts = artifacts;
        this.maxBytes = maxBytes;
        this.json = json;
    }

    /**
     * @return the answer, or null when the path is not one of these routes
     */
    CommandRoutes.Answer route(String method, String path, HttpServletRequest request) throws Exchange.Refused, IOException {
        if (OperatorPaths.ARTIFACTS.equals(path) && "POST".equals(method)) {
            return upload(request);
        }
        if (path.startsWith(PREFIX) && path.indexOf('/', PREFIX.length()) < 0 && "GET".equals(method)) {
            return lookup(path.substring(PREFIX.length()));
        }
        return null;
    }

    private CommandRoutes.Answer upload(HttpServletRequest request) throws Exchange.Refused, IOException {
        // Not closed here: the container owns the request stream, and closing it would cut off the discard below.
        InputStream body = request.getInputStream();
        long announced = request.getContentLengthLong();
        if (announced > maxBytes) {
            discard(body);
            throw tooLarge(announced + " bytes announced");
        }
        Artifacts.Stored s;
        try {
            s = artifacts.store(new Capped(body, maxBytes)); // deletes its temporary file when the cap throws
        } catch (Capped.Exceeded e) {
            discard(body);
            throw tooLarge("more than " + maxBytes + " bytes sent");
        }
        LOG.info("artifact {} ({} bytes) {}", s.digest(), s.size(), s.created() ? "stored" : "was stored already");
        return new CommandRoutes.Answer(s.created() ? 201 : 200, body(s.digest(), s.size()));
    }

    /**
     * Reads and drops the rest of a refused body, up to {@value #DISCARD_MAX} bytes. Why: clients
     * do not see an answer sent before their body is read (the JDK client over HTTP/2 waits for
     * flow-control credit until Jetty's idle timeout, over HTTP/1.1 it gets a reset connection),
     * so the 413 would reach them as a hang or a broken connection. Nothing is written anywhere;
     * a body larger still is cut off (the client then sees a reset).
     */
    private static void discard(InputStream body) {
        byte[] buf = new byte[64 * 1024];
        long left = DISCARD_MAX;
        try {
            for (int n; left > 0 && (n = body.read(buf, 0, (int) Math.min(buf.length, left))) >= 0;) {
                left -= n;
            }
        } catch (IOException e) {
            LOG.debug("discarding a refused upload ended: {}", e.toString()); // the client went away: nothing to answer
        }
    }

    private Exchange.Refused tooLarge(String what) {
        long mib = maxBytes / (1024 * 1024);
        return new Exchange.Refused(413, "artifact too large (" + what + "): the limit is " + maxBytes + " bytes ("
                + mib + " MiB, framework property fluxrig.mixer.artifact.max.mb); nothing was stored");
    }

    private CommandRoutes.Answer lookup(String id) throws Exchange.Refused, IOException {
        String hex = id.startsWith(ArtifactDigest.PREFIX) ? id.substring(ArtifactDigest.PREFIX.length()) : id;
        if (!ArtifactDigest.HEX.matcher(hex).matches()) {
            throw new Exchange.Refused(400, "'" + id + "' is not a sha-256 digest: 64 lower-case hex digits, "
                    + "optionally prefixed with sha256:");
        }
        Path file = artifacts.file(hex)
                .orElseThrow(() -> new Exchange.Refused(404, "no artifact sha256:" + hex + " on this Mixer"));
        return new CommandRoutes.Answer(200, body("sha256:" + hex, Files.size(file)));
    }

    private static ArtifactInfo body(String digest, long size) {
        return new ArtifactInfo(digest, size);
    }

    /**
     * Passes at most {@code max} bytes through and throws {@link Exceeded} on the first byte
     * beyond: the cap holds also when the client announces no length (chunked, HTTP/2 without
     * content-length). Used by one request thread.
     */
    static final class Capped extends FilterInputStream {
        private final long max;
        private long count;

        Capped(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        /** The body is longer than the cap. */
        static final class Exceeded extends IOException {
            private static final long serialVersionUID = 1L;

            Exceeded() {
                super("body over the size cap");
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > max) {
                throw new Exceeded();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0 && (count += n) > max) {
                throw new Exceeded();
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported on an upload");
        }
    }
}
