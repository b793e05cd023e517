package io.fluxrig.bench.roll;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * New releases of a built gear bundle for the runs: the same code with a bumped
 * {@code Bundle-Version} (a qualifier added; exports and everything else unchanged, so the rack
 * sees an update of the same bundle with other bytes), signed with the demo's publisher key at
 * a sequence above every earlier one. Not thread-safe: one runner thread makes them.
 */
final class Releases {
    private final Path dir;
    private final Path key;
    private long sequence;

    /**
     * @param dir where the new jars and their signatures go
     * @param key the publisher's private key (the demo's {@code release/publisher.key})
     */
    Releases(Path dir, Path key) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.key = key;
        // Above the demo's own releases, whose sequence is the epoch second they were signed at.
        this.sequence = System.currentTimeMillis() / 1000 + 1;
    }

    /**
     * @param built a built bundle jar
     * @param qualifier the version qualifier to add, e.g. {@code roll1}
     * @return a signed copy whose {@code Bundle-Version} carries the qualifier
     */
    Path bumped(Path built, String qualifier) throws IOException {
        try (JarFile in = new JarFile(built.toFile())) {
            Manifest m = new Manifest(in.getManifest());
            Attributes a = m.getMainAttributes();
            String[] v = a.getValue("Bundle-Version").split("\\.");
            String version = v[0] + "." + (v.length > 1 ? v[1] : "0") + "." + (v.length > 2 ? v[2] : "0") + "." + qualifier;
            a.putValue("Bundle-Version", version);
            String name = built.getFileName().toString().replaceFirst("-[0-9][^-]*(-SNAPSHOT)?\\.jar$", "") + "-" + version + ".jar";
            Path out = dir.resolve(name);
            try (OutputStream os = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(os, m)) {
                for (JarEntry e : java.util.Collections.list(in.entries())) {
                    if (e.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    jar.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream is = in.getInputStream(e)) {
                        is.transferTo(jar);
                    }
                    jar.closeEntry();
                }
            }
            return sign(out);
        }
    }

    /** @return a signed bundle whose activator class is not in it: it installs, resolves and does not start */
    Path broken(String qualifier) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "io.fluxrig.bench.broken");
        a.putValue("Bundle-Version", "1.0.0." + qualifier);
        a.putValue("Bundle-Activator", "io.fluxrig.bench.NoSuchActivator");
        Path out = dir.resolve("broken-" + qualifier + ".jar");
        try (OutputStream os = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(os, m)) {
            jar.putNextEntry(new JarEntry("readme.txt"));
            jar.write("a bundle that does not start\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return sign(out);
    }

    private Path sign(Path file) throws IOException {
        Operator.Cli s = Operator.cli(List.of("release", "sign", file.toString(), "--key", key.toString(), "--sequence",
                Long.toString(sequence++)));
        if (s.code() != 0) {
            throw new IOException("release sign " + file + ": " + s.err().strip());
        }
        return file;
    }
}
