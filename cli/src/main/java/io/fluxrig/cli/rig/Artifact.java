package io.fluxrig.cli.rig;

import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.SignedRelease;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A file a rig names, read once: a bundle (its symbolic name and version from the manifest) or
 * a patch (named by its file name), its sha-256, and its signed release ({@code FILE.sig}) as
 * compact JSON when one is beside it. Immutable.
 *
 * @param kind {@value #BUNDLE} or {@value #PATCH}
 * @param file the file
 * @param name a bundle's symbolic name, a patch's file name
 * @param version a bundle's version, null for a patch
 * @param digest {@code sha256:<hex>} of the file
 * @param release the signed release as compact JSON, or null when unsigned
 */
public record Artifact(String kind, Path file, String name, String version, String digest, String release) {
    /** A bundle. */
    public static final String BUNDLE = "bundle";
    /** A patch. */
    public static final String PATCH = "patch";

    /** @return the file's name, as the rollout's commands name it */
    public String fileName() {
        return file.getFileName().toString();
    }

    /** @return e.g. {@code io.fluxrig.gear.json 1.0.0 (sha256:1a2b3c4d5e6f)} or {@code core.yaml (sha256:..)} */
    public String describe() {
        return name + (version == null ? "" : " " + version) + " (" + Plan.shortDigest(digest) + ")";
    }

    /**
     * @param file a jar
     * @return it as a bundle
     * @throws IllegalArgumentException when it is not a bundle, or its signature is for other bytes
     */
    static Artifact bundle(Path file) throws IOException {
        Manifest m;
        try (JarFile jar = new JarFile(file.toFile())) {
            m = jar.getManifest();
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(file.getFileName() + " is not a jar: " + e.getMessage());
        }
        String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw new IllegalArgumentException(file.getFileName() + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName");
        }
        String version = m.getMainAttributes().getValue("Bundle-Version");
        String digest = sha256(file);
        return new Artifact(BUNDLE, file, bsn.split(";")[0].strip(), version == null ? "0.0.0" : version.strip(), digest,
                release(file, digest));
    }

    /** @param file a patch file @return it as a patch */
    static Artifact patch(Path file) throws IOException {
        String digest = sha256(file);
        return new Artifact(PATCH, file, file.getFileName().toString(), null, digest, release(file, digest));
    }

    private static String release(Path file, String digest) throws IOException {
        Path sig = Path.of(file + SignedRelease.SUFFIX);
        if (!Files.exists(sig)) {
            return null;
        }
        SignedRelease s;
        try {
            s = SnakeCodec.json().read(Files.readAllBytes(sig), SignedRelease.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(sig.getFileName() + " is not a signed release: " + e.getMessage());
        }
        if (s.statement() == null || !digest.equals(s.statement().digest())) {
            throw new IllegalArgumentException(sig.getFileName() + " is for " + (s.statement() == null ? "nothing"
                    : s.statement().digest()) + " but " + file.getFileName() + " is " + digest + " (sign it again)");
        }
        return new String(SnakeCodec.json().write(s), StandardCharsets.UTF_8);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
