package io.fluxrig.rack.runtime.deploy;

import io.fluxrig.snake.api.ArtifactDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * What each bundle install replaced, kept so that the install can be undone exactly: per symbolic
 * name, {@code <folder>/<name>.properties} (the installed digest, and the previous version and
 * digest, or that the bundle was new, or that the install changed nothing) and, when a bundle was
 * replaced, {@code <folder>/<name>.jar}, a copy of the previous jar. One record per name: the
 * next install of that name replaces it. The folder is {@code <rack data>/deploy/previous/},
 * beside the staging files and outside the FileInstall folder.
 *
 * <p>Not thread-safe: used by the {@link BundleInstaller} on the Snake's command thread only.
 */
final class PreviousReleases {
    /** What one install replaced. */
    record Record(String symbolicName, String installed, Kind kind, String previousVersion, String previousDigest, Path jar) {
    }

    /** What the install found in place. */
    enum Kind {
        /** Another release of the bundle: its jar is kept. */
        REPLACED,
        /** No bundle of that name: undoing removes it. */
        NEW,
        /** The same bytes were already in place: undoing changes nothing. */
        UNCHANGED
    }

    private final Path dir;

    PreviousReleases(Path dir) {
        this.dir = dir;
    }

    /**
     * Records an install: moves the previous jar (already copied aside by the installer) into the
     * record, or records that there was none.
     */
    void record(String symbolicName, String installed, Kind kind, BundleFacts previous, Path previousJar) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve(symbolicName + ".jar");
        Properties p = new Properties();
        p.setProperty("symbolicName", symbolicName);
        p.setProperty("installed", installed);
        p.setProperty("kind", kind.name());
        if (kind == Kind.REPLACED) {
            Files.move(previousJar, jar, StandardCopyOption.REPLACE_EXISTING);
            p.setProperty("previousVersion", previous == null ? "?" : previous.version());
            p.setProperty("previousDigest", digest(jar));
        } else {
            Files.deleteIfExists(jar);
        }
        Path tmp = dir.resolve(symbolicName + ".properties.new");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "what the last install of " + symbolicName + " replaced; used to undo it");
        }
        Files.move(tmp, dir.resolve(symbolicName + ".properties"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the record of the install of this digest, if one is kept */
    Optional<Record> find(String installed) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.properties")) {
            for (Path f : ds) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(f)) {
                    p.load(in);
                }
                if (installed.equals(p.getProperty("installed"))) {
                    String name = p.getProperty("symbolicName");
                    return Optional.of(new Record(name, installed, Kind.valueOf(p.getProperty("kind")),
                            p.getProperty("previousVersion"), p.getProperty("previousDigest"), dir.resolve(name + ".jar")));
                }
            }
        }
        return Optional.empty();
    }

    /** Drops a record once it has been undone: undoing twice finds nothing. */
    void drop(Record r) throws IOException {
        Files.deleteIfExists(dir.resolve(r.symbolicName() + ".properties"));
        Files.deleteIfExists(r.jar());
    }

    /** @return {@code sha256:<hex>} of the file */
    static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return ArtifactDigest.PREFIX + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
