package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.ArtifactDigest;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Downloads an artifact by SHA-256 digest from the Mixer over the Snake
 * ({@code GET /snake/artifacts/<hex>}) into {@code <rack data>/artifacts/<hex>}: streamed to a
 * {@code .part} file while hashing, and renamed into place only when the digest matches, so a
 * file under its digest name is always complete and verified. An optional rate cap
 * ({@link SnakeSettings#downloadBytesPerSecond()}) paces the reads; HTTP/2 flow control then
 * slows the Mixer's sending on this stream alone, and heartbeats share the connection unharmed.
 * Blocking; runs on the command thread.
 */
final class ArtifactFetcher {
    private static final int CHUNK = 64 * 1024;
    private final SnakeSettings settings;
    private final Supplier<HttpClient> client;

    ArtifactFetcher(SnakeSettings settings, Supplier<HttpClient> client) {
        this.settings = settings;
        this.client = client;
    }

    /** @return where the artifacts of this rack are kept */
    static Path folder(SnakeSettings s) {
        return s.dir().resolveSibling("artifacts");
    }

    /**
     * @param digest {@code sha256:<hex>} of a fetched artifact
     * @return where {@link #fetch} keeps it (exists only once fetched and verified)
     */
    static Path file(SnakeSettings s, String digest) {
        return folder(s).resolve(ArtifactDigest.hex(digest));
    }

    /**
     * Fetches the artifact unless it is present already.
     *
     * @param digest {@code sha256:<64 lower-case hex>}
     * @return what happened, for the command result
     * @throws SnakeException when the digest is malformed, the Mixer refuses or the bytes do not match
     */
    String fetch(String digest) throws IOException, SnakeException, InterruptedException {
        if (!ArtifactDigest.valid(digest)) {
            throw new SnakeException(0, "argument 'digest' must be " + ArtifactDigest.RULE + ", got " + digest);
        }
        String hex = ArtifactDigest.hex(digest);
        Path target = folder(settings).resolve(hex);
        if (Files.exists(target)) {
            return "already present: " + target.getFileName() + " (" + Files.size(target) + " bytes, verified when fetched)";
        }
        HttpClient http = client.get();
        if (http == null) {
            throw new SnakeException(0, "not connected to the Mixer");
        }
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("https://" + settings.mixer()
                + SnakeRoute.artifact(digest))).timeout(Duration.ofMinutes(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(64 * 1024);
            }
            throw new SnakeException(r.statusCode(), "the Mixer refused artifact " + digest + " (" + r.statusCode() + "): "
                    + SnakeCodec.json().error(body));
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(hex + ".part");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        long total = 0;
        long start = System.nanoTime();
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(part)) {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.read(buf)) >= 0;) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                total += n;
                pace(total, start);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        String got = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (!got.equals(digest)) {
            Files.deleteIfExists(part);
            throw new SnakeException(0, "digest mismatch for artifact " + digest + ": received " + total + " bytes hashing to "
                    + got + " (discarded)");
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return "fetched " + total + " bytes, " + digest + " verified";
    }

    /** Sleeps until the bytes read so far fit the cap. */
    private void pace(long total, long startNanos) throws InterruptedException {
        long cap = settings.downloadBytesPerSecond();
        if (cap <= 0) {
            return;
        }
        long dueMillis = total * 1000 / cap - (System.nanoTime() - startNanos) / 1_000_000;
        if (dueMillis > 0) {
            Thread.sleep(dueMillis);
        }
    }
}
