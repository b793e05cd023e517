package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which class-sharing archive a rack start maps or has its JVM write, against a build folder in a
 * temporary folder; a JVM's dump at exit is stood in for by writing the part file it was given.
 */
class ClassArchiveTest {
    /** A dynamic archive's first bytes once the JDK wrote its header (magic 0xf00baba8, little-endian). */
    private static final byte[] HEADER = {(byte) 0xa8, (byte) 0xab, 0x0b, (byte) 0xf0, 1, 2, 3};

    @TempDir
    Path dir;
    Path jar;
    Path data;
    Path cds;

    @BeforeEach
    void build() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa")),
                "this JDK has no base CDS archive, so no dynamic archive is offered");
        jar = Files.writeString(Files.createDirectories(dir.resolve("run/target")).resolve("rack.jar"), "jar");
        cds = dir.resolve("run/target/cds");
        data = Files.createDirectories(dir.resolve("racks/edge"));
    }

    private static Path fileOf(List<String> options, String flag) {
        String o = options.stream().filter(a -> a.startsWith(flag)).findFirst()
                .orElseThrow(() -> new AssertionError(flag + " is not in " + options));
        return Path.of(o.substring(flag.length()));
    }

    @Test
    void aStartWithoutArchiveWritesAPartAtExitAndTheNextStartMapsIt() throws Exception {
        List<String> first = ClassArchive.options(jar, data, List.of());
        Path part = fileOf(first, "-XX:ArchiveClassesAtExit=");
        assertEquals(cds, part.getParent(), "beside the jar");
        assertTrue(part.getFileName().toString().startsWith("rack.") && part.toString().endsWith(".part"), part.toString());
        assertTrue(first.contains("-Xlog:cds*=off") && first.stream().anyMatch(o -> o.startsWith("-Xlog:cds*=warning:file=" + data.resolve("cds.log"))),
                "the JDK's archive messages go to a file, not to the rack's output: " + first);

        Files.write(part, HEADER); // the JVM's dump, header written
        Path archive = fileOf(ClassArchive.options(jar, data, List.of()), "-XX:SharedArchiveFile=");
        assertEquals(cds, archive.getParent());
        assertTrue(archive.toString().endsWith(".jsa") && Files.exists(archive) && !Files.exists(part), "the part became the archive");
        assertEquals(archive, fileOf(ClassArchive.options(jar, data, List.of()), "-XX:SharedArchiveFile="), "and stays it");
    }

    @Test
    void aPartWithoutHeaderIsNotTakenAndGoesOnceStale() throws Exception {
        Path part = fileOf(ClassArchive.options(jar, data, List.of()), "-XX:ArchiveClassesAtExit=");
        Files.write(part, new byte[16]); // a JVM still writing its regions, or killed while it did
        Path next = fileOf(ClassArchive.options(jar, data, List.of()), "-XX:ArchiveClassesAtExit=");
        assertNotEquals(part, next, "each JVM gets a part of its own");
        assertTrue(Files.exists(part), "a recent part may still be being written");
        Files.setLastModifiedTime(part, FileTime.from(Instant.now().minus(ClassArchive.STALE).minusSeconds(60)));
        ClassArchive.options(jar, data, List.of());
        assertFalse(Files.exists(part), "left by a killed JVM: deleted");
    }

    @Test
    void aRebuiltJarGetsANewArchiveAndTheOldBuildsGo() throws Exception {
        Path part = fileOf(ClassArchive.options(jar, data, List.of()), "-XX:ArchiveClassesAtExit=");
        Files.write(part, HEADER);
        Path old = fileOf(ClassArchive.options(jar, data, List.of()), "-XX:SharedArchiveFile=");
        Path rackBase = Files.writeString(dir.resolve("run/target/rack-base.jar"), "base jar");
        Path baseArchive = fileOf(ClassArchive.options(rackBase, data, List.of()), "-XX:ArchiveClassesAtExit=");
        Files.write(baseArchive, HEADER);

        Files.writeString(jar, "rebuilt jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Path next = fileOf(ClassArchive.options(jar, data, List.of()), "-XX:ArchiveClassesAtExit=");
        assertEquals(cds, next.getParent());
        assertFalse(Files.exists(old), "the old build's archive is deleted");
        assertTrue(Files.exists(baseArchive), "another jar's files are its own");
    }

    @Test
    void jvmOptionsThatDecideClassSharingWin() throws Exception {
        assertEquals(List.of(), ClassArchive.options(jar, data, List.of("-Xshare:off")));
        assertEquals(List.of(), ClassArchive.options(jar, data, List.of("-XX:SharedArchiveFile=/elsewhere.jsa")));
        assertFalse(Files.exists(cds), "nothing made");
    }
}
