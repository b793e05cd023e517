package io.fluxrig.rack.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.rack.spi.DeployException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest inspection of jars built here with java.util.jar (nothing is installed). */
class BundleInspectorTest {
    private static final String LABEL = "x.jar sha256:0123456789ab..";

    @TempDir
    Path dir;

    /** Writes a jar with this main-section manifest (null: no manifest at all) and one class-like entry. */
    static Path jar(Path file, Map<String, String> headers) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            if (headers == null) {
                try (ZipOutputStream zip = new ZipOutputStream(out)) {
                    zip.putNextEntry(new ZipEntry("a/B.txt"));
                    zip.write("b".getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
                return file;
            }
            Manifest m = new Manifest();
            m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            headers.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
            try (JarOutputStream jar = new JarOutputStream(out, m)) {
                jar.putNextEntry(new JarEntry("a/B.txt"));
                jar.write("b".getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return file;
    }

    @Test
    void aBundleIsRead() throws Exception {
        BundleFacts f = BundleInspector.inspect(jar(dir.resolve("b.jar"), Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "io.example.gear; singleton:=true", "Bundle-Version", "1.2.3")), LABEL);
        assertEquals("io.example.gear", f.symbolicName());
        assertEquals("1.2.3", f.version());
        assertFalse(f.fragment());
        assertEquals("io.example.gear 1.2.3", f.toString());
    }

    @Test
    void aFragmentWithoutVersionIsRead() throws Exception {
        BundleFacts f = BundleInspector.inspect(jar(dir.resolve("f.jar"), Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "io.example.frag", "Fragment-Host", "io.example.gear")), LABEL);
        assertEquals("0.0.0", f.version());
        assertTrue(f.fragment());
    }

    @Test
    void notAZipIsRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("t.jar"), "gears: {}\n");
        DeployException e = assertThrows(DeployException.class, () -> BundleInspector.inspect(text, LABEL));
        assertTrue(e.refused());
        assertTrue(e.getMessage().startsWith(LABEL + " is not a jar: not a zip file"), e.getMessage());
        assertNull(BundleInspector.symbolicName(text));
    }

    @Test
    void aJarWithoutManifestIsRefused() throws Exception {
        DeployException e = assertThrows(DeployException.class,
                () -> BundleInspector.inspect(jar(dir.resolve("n.jar"), null), LABEL));
        assertEquals(LABEL + " is not an OSGi bundle: the jar has no manifest (META-INF/MANIFEST.MF)", e.getMessage());
    }

    @Test
    void aPlainJarIsRefusedForItsMissingSymbolicName() throws Exception {
        DeployException e = assertThrows(DeployException.class,
                () -> BundleInspector.inspect(jar(dir.resolve("p.jar"), Map.of("Main-Class", "a.B")), LABEL));
        assertEquals(LABEL + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName", e.getMessage());
    }

    @Test
    void anOldManifestVersionIsRefused() throws Exception {
        DeployException e = assertThrows(DeployException.class, () -> BundleInspector.inspect(jar(dir.resolve("o.jar"),
                Map.of("Bundle-SymbolicName", "io.example.old")), LABEL));
        assertTrue(e.getMessage().contains("Bundle-ManifestVersion is missing, must be 2"), e.getMessage());
    }

    @Test
    void aSymbolicNameThatCannotNameAFileIsRefused() throws Exception {
        DeployException e = assertThrows(DeployException.class, () -> BundleInspector.inspect(jar(dir.resolve("s.jar"),
                Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "../evil")), LABEL));
        assertTrue(e.getMessage().contains("Bundle-SymbolicName '../evil' is not a plain name"), e.getMessage());
    }
}
