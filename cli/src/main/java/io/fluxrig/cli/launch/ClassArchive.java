package io.fluxrig.cli.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The class-data sharing archive of a rack jar (the JDK's dynamic CDS archive): the classes a rack
 * JVM loaded, its bundles' included, written by that JVM when it exits and mapped by every later
 * start of the same jar, which then neither parses nor verifies those classes again. The JDK matches
 * a bundle's class to its archived copy by name, size and CRC of the bytes the framework defines, so
 * a changed bundle (a gear dropped in {@code gears/}, a new version) loads its changed classes as
 * before; it is never a second copy of the rack's code to keep in step.
 *
 * <p>Kept beside the jar, in {@value #FOLDER}/ of the jar's folder ({@code run/target/cds/}): as
 * trusted as the jar itself. One archive per jar build and JDK ({@code rack.<digest>.jsa}): the digest is of the
 * jar's size and modification time and of the JDK (home and VM version); archives and leftovers of
 * other builds of the same jar are deleted. A start when there is none runs without one and has its
 * JVM write one at exit under a name of its own ({@code NAME.<nonce>.part}: several racks of one
 * build may stop at once); a later start takes a part whose header the JDK wrote (the JDK writes
 * the header last, after every region, so a part with its header is complete) and renames it to the
 * archive, atomically. Parts without a header for longer than {@link #STALE} are left from a JVM
 * killed during its dump, and deleted. An archive the JVM cannot use anyway is ignored by the JVM,
 * which starts without it. The JDK's own archive messages (classes it leaves out of a dump) go to
 * {@value #LOG} in the rack's folder, not to the rack's output.
 *
 * <p>Nothing is added when the JVM options given already decide class sharing, when the JDK has no
 * base archive (a dynamic archive needs one), or when the folder cannot be written (a read-only
 * installation): the rack then starts as without this. Stateless; concurrent launchers are safe
 * (atomic renames, a part per JVM).
 */
final class ClassArchive {
    /** The archives' folder, beside the rack jars. */
    static final String FOLDER = "cds";
    /** The JDK's archive messages of a rack's last start, in its folder. */
    static final String LOG = "cds.log";
    /** How old a part without a header must be before it counts as left by a killed JVM. */
    static final Duration STALE = Duration.ofMinutes(10);
    /** The first four bytes of a dynamic archive, once the JDK wrote its header (magic 0xf00baba8, little-endian on disk). */
    private static final int DYNAMIC_MAGIC = 0xf00baba8;

    private ClassArchive() {
    }

    /**
     * @param jar the rack jar a rack starts
     * @param data the rack's folder
     * @param given the JVM options already on its command line ({@code $FLUXRIG_JAVA_OPTS}, the caller's)
     * @return the JVM options for the archive: none, or one to map it or to write it at exit, and where the JDK's archive messages go
     */
    static List<String> options(Path jar, Path data, List<String> given) {
        if (given.stream().anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchiveFile") || o.contains("ArchiveClassesAtExit"))
                || !Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa"))) {
            return List.of();
        }
        try {
            Path folder = Files.createDirectories(jar.toAbsolutePath().getParent().resolve(FOLDER));
            String base = baseName(jar) + "."; // "rack." and "rack-base.": neither is a prefix of the other
            String name = base + digest(Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + "|"
                    + System.getProperty("java.home") + "|" + System.getProperty("java.vm.version"));
            Path archive = folder.resolve(name + ".jsa");
            tidy(folder, base, name, archive);
            String log = "-Xlog:cds*=warning:file=" + data.resolve(LOG) + "::filecount=0";
            if (Files.isRegularFile(archive)) {
                return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off", log);
            }
            String nonce = Long.toHexString(ProcessHandle.current().pid()) + Long.toHexString(System.nanoTime());
            return List.of("-XX:ArchiveClassesAtExit=" + folder.resolve(name + "." + nonce + ".part"), "-Xlog:cds*=off", log);
        } catch (IOException e) {
            return List.of(); // not writable here: the rack starts without an archive
        }
    }

    /** Promotes a complete part of this build to its archive; deletes other builds' files and dead parts. */
    private static void tidy(Path folder, String base, String name, Path archive) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, base + "*")) {
            for (Path p : files) {
                String f = p.getFileName().toString();
                try {
                    if (!f.startsWith(name + ".")) {
                        Files.deleteIfExists(p); // an earlier build of this jar, or another JDK: never used again
                    } else if (f.endsWith(".part")) {
                        if (!Files.exists(archive) && complete(p)) {
                            Files.move(p, archive, StandardCopyOption.ATOMIC_MOVE);
                        } else if (Files.exists(archive) && complete(p) || olderThanStale(p)) {
                            Files.deleteIfExists(p); // a second complete one, or left by a JVM killed while writing it
                        }
                    }
                } catch (NoSuchFileException | FileAlreadyExistsException raced) {
                    // another launcher moved or deleted it first
                }
            }
        }
    }

    private static boolean complete(Path part) throws IOException {
        try (InputStream in = Files.newInputStream(part)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && ((b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24) == DYNAMIC_MAGIC;
        }
    }

    private static boolean olderThanStale(Path p) throws IOException {
        return Files.getLastModifiedTime(p).toInstant().isBefore(Instant.now().minus(STALE));
    }

    private static String baseName(Path jar) {
        String n = jar.getFileName().toString();
        return n.endsWith(".jar") ? n.substring(0, n.length() - 4) : n;
    }

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
