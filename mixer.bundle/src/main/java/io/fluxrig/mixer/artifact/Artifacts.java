package io.fluxrig.mixer.artifact;

import io.fluxrig.snake.api.ArtifactDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Content-addressed artifacts the Mixer serves to racks over the Snake, in
 * {@code <mixer data>/artifacts/<sha-256 hex>}. A file is written under a temporary name while
 * hashed and renamed to its digest only when complete, so every file under a digest name is whole.
 * Racks verify the digest again after the download. Thread-safe (the file system is the state).
 */
public final class Artifacts {
    /** The service property with the largest artifact an upload may store, in bytes (Long). */
    public static final String MAX_BYTES = "fluxrig.artifact.max.bytes";
    private final Path dir;

    /** @param dir the artifacts folder (created on first store) */
    public Artifacts(Path dir) {
        this.dir = dir;
    }

    /**
     * What {@link #store} did.
     *
     * @param digest {@code sha256:<hex>}
     * @param size its length in bytes
     * @param created false when an artifact with this digest was stored already (the new copy
     *        is discarded, the stored file is not touched)
     */
    public record Stored(String digest, long size, boolean created) {
    }

    /**
     * Stores an artifact, streaming: the bytes go to a temporary file while hashed, and nothing is
     * left behind when reading fails (also when {@code in} throws on purpose, e.g. at a size cap).
     *
     * @param in its bytes (read to the end, not closed)
     * @return its digest, size and whether it is new
     * @throws IOException when it cannot be read or written
     */
    public Stored store(InputStream in) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "upload-", ".part");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        long size = 0;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0;) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                size += n;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        Path target = dir.resolve(hex);
        if (Files.isRegularFile(target)) {
            Files.delete(tmp); // same bytes already stored: leave that file alone (a rack may be reading it)
            return new Stored("sha256:" + hex, size, false);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Stored("sha256:" + hex, size, true);
    }

    /**
     * @param hex the digest's hex part
     * @return the file, when such an artifact is stored
     */
    public Optional<Path> file(String hex) {
        if (hex == null || !ArtifactDigest.HEX.matcher(hex).matches()) {
            return Optional.empty();
        }
        Path p = dir.resolve(hex);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
}
