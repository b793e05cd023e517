package io.fluxrig.rack.runtime.deploy;

import io.fluxrig.rack.spi.DeployException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

/**
 * Decides whether a file is an OSGi bundle jar the rack can install, from its manifest alone
 * (nothing is installed). Pure logic over a file; thread-safe.
 */
final class BundleInspector {
    /** Symbolic names that are safe as a file name in the gears folder. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private BundleInspector() {
    }

    /**
     * @param jar the artifact
     * @param label names the artifact in messages (digest and original name)
     * @return the facts of the bundle
     * @throws DeployException (refused) saying what is wrong: not a zip, no manifest, no or a bad
     *         {@code Bundle-SymbolicName}, {@code Bundle-ManifestVersion} other than 2
     */
    static BundleFacts inspect(Path jar, String label) throws DeployException {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            manifest = file.getManifest();
        } catch (ZipException e) {
            throw DeployException.refused(label + " is not a jar: not a zip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw DeployException.refused(label + " cannot be read as a jar: " + e.getMessage());
        }
        if (manifest == null) {
            throw DeployException.refused(label + " is not an OSGi bundle: the jar has no manifest (META-INF/MANIFEST.MF)");
        }
        Attributes main = manifest.getMainAttributes();
        String header = main.getValue("Bundle-SymbolicName");
        if (header == null || header.isBlank()) {
            throw DeployException.refused(label + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName");
        }
        String manifestVersion = main.getValue("Bundle-ManifestVersion");
        if (manifestVersion == null || !manifestVersion.trim().equals("2")) {
            throw DeployException.refused(label + " is not an OSGi R4+ bundle: Bundle-ManifestVersion is "
                    + (manifestVersion == null ? "missing" : "'" + manifestVersion.trim() + "'") + ", must be 2");
        }
        String name = header.split(";", 2)[0].trim();
        if (!PLAIN.matcher(name).matches()) {
            throw DeployException.refused(label + ": Bundle-SymbolicName '" + name
                    + "' is not a plain name (letters, digits, '.', '_', '-'), so it cannot name a file in the gears folder");
        }
        String version = main.getValue("Bundle-Version");
        return new BundleFacts(name, version == null || version.isBlank() ? "0.0.0" : version.trim(),
                main.getValue("Fragment-Host") != null);
    }

    /**
     * @param jar a file in the gears folder
     * @return its symbolic name, or null when it is not a readable bundle jar
     */
    static String symbolicName(Path jar) {
        try {
            return inspect(jar, jar.toString()).symbolicName();
        } catch (DeployException e) {
            return null;
        }
    }
}
