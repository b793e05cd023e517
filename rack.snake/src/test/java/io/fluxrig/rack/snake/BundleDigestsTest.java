package io.fluxrig.rack.snake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digest of a bundle archive from its location (file URL, reference:, plain path, unreadable). */
class BundleDigestsTest {
    @Test
    void digestsTheArchiveAtTheLocation(@TempDir Path tmp) throws Exception {
        byte[] jar = "not really a jar, but bytes to hash".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path f = Files.write(tmp.resolve("b.jar"), jar);
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar));
        assertEquals(expected, BundleDigests.compute(f.toUri().toString()));
        assertEquals(expected, BundleDigests.compute("reference:" + f.toUri()));
        assertEquals(expected, BundleDigests.compute(f.toString()));
    }

    @Test
    void readsAnArchiveEmbeddedInTheLaunchersClassPath() throws Exception {
        String resource = "org/junit/jupiter/api/Test.class"; // on the class path as the launcher's jar/ entries are
        byte[] bytes;
        try (var in = ClassLoader.getSystemClassLoader().getResourceAsStream(resource)) {
            bytes = in.readAllBytes();
        }
        assertEquals("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                BundleDigests.compute(resource));
    }

    @Test
    void saysWhyWhenThereIsNoReadableArchive(@TempDir Path tmp) {
        String d = BundleDigests.compute(tmp.resolve("gone.jar").toString());
        assertTrue(d.startsWith("unavailable: no archive at location"), d);
        assertTrue(BundleDigests.compute("https://example.invalid/x.jar").startsWith("unavailable: remote location"));
    }

    @Test
    void computesOncePerBundleAndLastModified(@TempDir Path tmp) throws Exception {
        Path f = Files.write(tmp.resolve("c.jar"), new byte[] {1});
        long[] lastModified = {1000};
        org.osgi.framework.Bundle b = (org.osgi.framework.Bundle) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.osgi.framework.Bundle.class}, (p, m, a) -> switch (m.getName()) {
                    case "getBundleId" -> 7L;
                    case "getLastModified" -> lastModified[0];
                    case "getLocation" -> f.toUri().toString();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        BundleDigests digests = new BundleDigests();
        String first = digests.digest(b);
        Files.write(f, new byte[] {2}); // changed without an update: the cached digest stands
        assertEquals(first, digests.digest(b));
        lastModified[0] = 2000; // the bundle was updated: digested again
        assertEquals(BundleDigests.compute(f.toUri().toString()), digests.digest(b));
        assertTrue(!first.equals(digests.digest(b)));
    }
}
