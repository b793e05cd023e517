package io.fluxrig.rack.runtime.deploy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The FileInstall folder ({@code felix.fileinstall.dir}) seen from the bundles: which installed
 * bundle came from which file there, and which bundles did not come from it (the rack's base
 * bundles). FileInstall names a bundle's location after its file ({@code file:/...}); paths are
 * compared after resolving symbolic links of the folder. Reads the framework afresh on every
 * call; thread-safe.
 */
final class GearsFolder {
    private final BundleContext context;
    private final Path dir;

    /** @param dir the FileInstall folder (need not exist yet) */
    GearsFolder(BundleContext context, Path dir) {
        this.context = context;
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    /** @return the file as shown in results: {@code gears/<name>} */
    String shown(Path file) {
        return dir.getFileName() + "/" + file.getFileName();
    }

    /** @return the installed bundle whose location is this file, or null */
    Bundle bundleAt(Path file) {
        Path want = canonical(file);
        for (Bundle b : context.getBundles()) {
            Path p = fileOf(b.getLocation());
            if (b.getState() != Bundle.UNINSTALLED && p != null && canonical(p).equals(want)) {
                return b;
            }
        }
        return null;
    }

    /** @return an installed bundle with this symbolic name that did not come from this folder, or null */
    Bundle baseBundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED && !inFolder(b)) {
                return b;
            }
        }
        return null;
    }

    /**
     * The file a bundle with this symbolic name goes to: the file an installed bundle of that name
     * came from, else a jar in the folder declaring that name, else {@code <name>.jar}; keeping an
     * existing file makes FileInstall update the same bundle instead of installing a second one.
     */
    Path fileFor(String symbolicName) throws IOException {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED && inFolder(b)) {
                return dir.resolve(fileOf(b.getLocation()).getFileName());
            }
        }
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
                ds.forEach(jars::add);
            }
        }
        jars.sort(null);
        for (Path jar : jars) {
            if (symbolicName.equals(BundleInspector.symbolicName(jar))) {
                return jar;
            }
        }
        return dir.resolve(symbolicName + ".jar");
    }

    private boolean inFolder(Bundle b) {
        Path p = fileOf(b.getLocation());
        return p != null && p.getParent() != null && canonical(p.getParent()).equals(canonical(dir));
    }

    /** @return the file a bundle location names ({@code file:} URI or absolute path), or null */
    static Path fileOf(String location) {
        if (location == null) {
            return null;
        }
        String loc = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try {
            Path p = loc.startsWith("file:") ? Path.of(URI.create(loc).normalize()) : Path.of(loc);
            return p.isAbsolute() ? p.normalize() : null;
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) { // incl. InvalidPathException
            return null; // not a file location (e.g. "System Bundle")
        }
    }

    /** Resolves links in the parent folder (the file itself may be gone). */
    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        try {
            return parent == null ? abs : parent.toRealPath().resolve(abs.getFileName());
        } catch (IOException e) {
            return abs;
        }
    }
}
