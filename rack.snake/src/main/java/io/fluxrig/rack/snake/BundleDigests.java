package io.fluxrig.rack.snake;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;

/**
 * SHA-256 of each installed bundle's archive, for the heartbeat inventory (bundle location to
 * {@code sha256:<hex>}), so the Mixer can tell exactly which bytes a rack runs. A digest is
 * computed once per bundle and {@code lastModified} (an update changes it) and cached, so a
 * heartbeat costs a map lookup per bundle. The archive is read from the location when it is a
 * URL or a file path, else as a resource of the launcher's class path (the bnd embedded launcher,
 * {@code run/target/rack.jar}, installs its bundles from {@code jar/<name>.jar} inside itself with
 * that path as location); a bundle whose archive cannot be read is reported as
 * {@code unavailable: <reason>}.
 *
 * <p>Thread-safe; called on the Snake thread. Entries of uninstalled bundles are dropped on the
 * next call.
 */
final class BundleDigests {
    private record Key(long id, long lastModified, String location) {
    }

    private final Map<Long, Map.Entry<Key, String>> cache = new ConcurrentHashMap<>();

    /** @return the digest (or why there is none) of the bundle's archive */
    String digest(Bundle b) {
        Key k = new Key(b.getBundleId(), b.getLastModified(), b.getLocation());
        Map.Entry<Key, String> hit = cache.get(k.id());
        if (hit != null && hit.getKey().equals(k)) {
            return hit.getValue();
        }
        String d = compute(b.getLocation());
        cache.put(k.id(), Map.entry(k, d));
        return d;
    }

    /** Forgets bundles that are gone. @param present ids of the installed bundles */
    void retain(java.util.Set<Long> present) {
        cache.keySet().retainAll(present);
    }

    static String compute(String location) {
        if (location == null || location.isEmpty()) {
            return "unavailable: no location";
        }
        String l = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try (InputStream in = open(l)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0;) {
                sha.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (IOException | IllegalArgumentException e) {
            return "unavailable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !location.matches("[a-zA-Z]:[\\\\/].*")) {
            if (location.startsWith("http:") || location.startsWith("https:")) {
                throw new IOException("remote location not fetched for a digest: " + location);
            }
            return URI.create(location).toURL().openStream();
        }
        Path p = Path.of(location);
        if (Files.isRegularFile(p)) {
            return Files.newInputStream(p);
        }
        InputStream embedded = ClassLoader.getSystemClassLoader().getResourceAsStream(location);
        if (embedded == null) {
            throw new IOException("no archive at location '" + location + "'");
        }
        return embedded;
    }
}
