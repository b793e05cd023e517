package io.fluxrig.cli.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.CliRun;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.PublisherKeys;
import io.fluxrig.snake.api.release.ReleaseStatement;
import io.fluxrig.snake.api.release.SignedRelease;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code release keygen} and {@code release sign} through the real command line, with real keys. */
class ReleaseCommandsTest {
    @TempDir
    Path dir;
    private final CliRun cli = new CliRun();

    @Test
    void keygenWritesAPrivateKeyFileOnlyTheOwnerReadsAndNeverOverwritesIt() throws Exception {
        Path base = dir.resolve("acme");
        assertEquals(0, cli.run("release", "keygen", "--out", base.toString(), "--json"), cli.err());
        Map<?, ?> o = SnakeCodec.json().read(cli.out().getBytes(StandardCharsets.UTF_8), Map.class);
        String pub = Files.readString(dir.resolve("acme.pub")).strip();
        assertEquals(pub, o.get("publicKey"));
        assertEquals(PublisherKeys.id(PublisherKeys.publicKey(pub, "pub")), o.get("id"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("acme.key"))));
        byte[] before = Files.readAllBytes(dir.resolve("acme.key"));

        assertEquals(1, cli.run("release", "keygen", "--out", base.toString()));
        assertTrue(cli.err().contains("acme.key exists; a key is never overwritten"), cli.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("acme.key"))));
    }

    @Test
    void signWritesASignatureRacksVerifyForABundleAndAPatch() throws Exception {
        assertEquals(0, cli.run("release", "keygen", "--out", dir.resolve("acme").toString()));
        PublisherKeys pinned = PublisherKeys.parse(List.of(Files.readString(dir.resolve("acme.pub"))));
        Path jar = bundle(dir.resolve("gear.jar"), "io.acme.gear", "2.1.0");

        assertEquals(0, cli.run("release", "sign", jar.toString(), "--key", dir.resolve("acme.key").toString(), "--sequence", "12",
                "--not-after", "2031-01-01T00:00:00Z", "--json"), cli.err());
        SignedRelease sig = SnakeCodec.json().read(Files.readAllBytes(dir.resolve("gear.jar.sig")), SignedRelease.class);
        assertEquals(new ReleaseStatement("bundle", "io.acme.gear", "2.1.0", ReleaseSignCommand.sha256(Files.readAllBytes(jar)),
                Files.size(jar), 12, "2031-01-01T00:00:00Z", false), sig.statement());
        assertNull(pinned.signatureProblem(sig));
        assertTrue(cli.out().contains("\"signature\":\"" + dir.resolve("gear.jar.sig") + "\""), cli.out());

        Path patch = dir.resolve("edge.yaml");
        Files.writeString(patch, "gears: {}\n");
        assertEquals(0, cli.run("release", "sign", patch.toString(), "--key", dir.resolve("acme.key").toString(), "--sequence", "3",
                "--allow-downgrade"), cli.err());
        SignedRelease p = SnakeCodec.json().read(Files.readAllBytes(dir.resolve("edge.yaml.sig")), SignedRelease.class);
        assertEquals("patch", p.statement().kind());
        assertEquals("edge", p.statement().name());
        assertEquals("3", p.statement().version());
        assertTrue(p.statement().allowDowngrade());
        assertNull(pinned.signatureProblem(p));
        assertTrue(cli.out().startsWith("signed " + patch + ": patch edge 3, sequence 3, not after "), cli.out());
    }

    @Test
    void aMismatchedKeyFileAndBadOptionsAreRefusedNamingTheReason() throws Exception {
        assertEquals(0, cli.run("release", "keygen", "--out", dir.resolve("a").toString()));
        assertEquals(0, cli.run("release", "keygen", "--out", dir.resolve("b").toString()));
        String a = Files.readString(dir.resolve("a.key"));
        String b = Files.readString(dir.resolve("b.key"));
        // a's private key with b's public key
        Files.writeString(dir.resolve("mixed.key"), a.substring(0, a.indexOf("-----BEGIN PUBLIC KEY")) + b.substring(b.indexOf("-----BEGIN PUBLIC KEY")));
        Path jar = bundle(dir.resolve("g.jar"), "io.acme.g", "1.0.0");
        assertEquals(1, cli.run("release", "sign", jar.toString(), "--key", dir.resolve("mixed.key").toString()));
        assertTrue(cli.err().contains("its private and public key do not belong together"), cli.err());
        assertEquals(2, cli.run("release", "sign", jar.toString(), "--key", dir.resolve("a.key").toString(), "--sequence", "0"));
        assertTrue(cli.err().contains("--sequence: 0 must be 1 or more"), cli.err());
        assertEquals(2, cli.run("release", "sign", jar.toString(), "--key", dir.resolve("a.key").toString(), "--name", "other"));
        assertTrue(cli.err().contains("--name: a bundle's release name is its symbolic name io.acme.g"), cli.err());
        assertEquals(1, cli.run("release", "sign", dir.resolve("none.jar").toString(), "--key", dir.resolve("a.key").toString()));
        assertTrue(cli.err().contains("no such file"), cli.err());
    }

    @Test
    void deploySendsTheSignatureAndRefusesAStaleOneBeforeSendingAnything() throws Exception {
        assertEquals(0, cli.run("release", "keygen", "--out", dir.resolve("k").toString()));
        Path jar = bundle(dir.resolve("s.jar"), "io.acme.s", "1.0.0");
        assertEquals(0, cli.run("release", "sign", jar.toString(), "--key", dir.resolve("k.key").toString()));
        bundle(jar, "io.acme.s", "1.0.1"); // changed after signing
        assertEquals(1, cli.run("deploy", "lab", "--bundle", jar.toString(), "--api", "https://127.0.0.1:9", "--api-token-file", tokenFile()));
        assertTrue(cli.err().contains("--bundle " + jar + ": its signature " + jar + ".sig is for sha256:"), cli.err());
        assertTrue(cli.err().contains("(sign it again with 'fluxrig release sign')"), cli.err());
        assertTrue(cli.err().contains("nothing was sent"), cli.err());
    }

    static Path bundle(Path jar, String bsn, String version) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", version);
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            j.putNextEntry(new ZipEntry("readme.txt"));
            j.write(version.getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    /** An operator token file (the API is never reached: these commands refuse before sending). */
    private String tokenFile() {
        try {
            return java.nio.file.Files.writeString(dir.resolve("operator.token"), "t").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
