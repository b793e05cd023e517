package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.testsupport.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The rack's Deployer (what the Snake's install-bundle and apply-patch commands run), called
 * directly in the real framework with real FileInstall: artifacts are files, as the command
 * thread has them after fetching. The Deployer's types are private to rack.runtime, so it is
 * found by component name and called by reflection, like the gogo commands in RackUnderTest.
 */
@ExtendWith(BundleContextExtension.class)
class DeployerTest {
    private static final String COMPONENT = "io.fluxrig.rack.runtime.deploy.RackDeployer";
    private static final String MISSING_PACKAGE = "io.fluxrig.itest.nobody.exports.this";

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path tmp;

    /** A command result: done, refused or failed, with its detail. */
    record Outcome(String status, String detail) {
    }

    private Outcome call(String method, Path artifact, String label) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(component.name=" + COMPONENT + ")");
        assertNotNull(refs, "the rack registers its Deployer component");
        Object deployer = context.getService(refs[0]);
        try {
            return new Outcome("done", (String) deployer.getClass().getMethod(method, Path.class, String.class)
                    .invoke(deployer, artifact, label));
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            assertEquals("DeployException", t.getClass().getSimpleName(), "unexpected failure: " + t);
            boolean refused = (Boolean) t.getClass().getMethod("refused").invoke(t);
            return new Outcome(refused ? "refused" : "failed", t.getMessage());
        } finally {
            context.ungetService(refs[0]);
        }
    }

    private Outcome install(Path artifact) throws Exception {
        return call("installBundle", artifact, artifact.getFileName() + " sha256:0123456789ab..");
    }

    private Outcome restore(Path installed) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(component.name=" + COMPONENT + ")");
        assertNotNull(refs, "the rack registers its Deployer component");
        Object deployer = context.getService(refs[0]);
        try {
            return new Outcome("done", (String) deployer.getClass().getMethod("restoreBundle", String.class, String.class)
                    .invoke(deployer, sha256(installed), installed.getFileName() + " sha256:0123456789ab.."));
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            assertEquals("DeployException", t.getClass().getSimpleName(), "unexpected failure: " + t);
            boolean refused = (Boolean) t.getClass().getMethod("refused").invoke(t);
            return new Outcome(refused ? "refused" : "failed", t.getMessage());
        } finally {
            context.ungetService(refs[0]);
        }
    }

    private static String sha256(Path file) throws Exception {
        return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }

    private Outcome patch(String text) throws Exception {
        Path p = Files.writeString(tmp.resolve("patch-" + Integer.toHexString(text.hashCode()) + ".yaml"), text);
        return call("applyPatch", p, "p.yaml sha256:0123456789ab..");
    }

    /** A bundle jar: these main headers (null: no manifest at all) and one resource. */
    private Path jar(String name, Map<String, String> headers) throws IOException {
        Path file = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            if (headers == null) {
                try (ZipOutputStream zip = new ZipOutputStream(out)) {
                    zip.putNextEntry(new ZipEntry("readme.txt"));
                    zip.write("not a bundle".getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
                return file;
            }
            Manifest m = new Manifest();
            m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            headers.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
            try (JarOutputStream j = new JarOutputStream(out, m)) {
                j.putNextEntry(new JarEntry("readme.txt"));
                j.write(name.getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
        return file;
    }

    private Path bundleJar(String name, String bsn, String version, String imports) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Bundle-ManifestVersion", "2");
        h.put("Bundle-SymbolicName", bsn);
        h.put("Bundle-Version", version);
        if (imports != null) {
            h.put("Import-Package", imports);
        }
        return jar(name, h);
    }

    @Test
    void installsAGearBundleThenAgainIsANoOpAndAPatchRunsIt() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        Path mine = rack.gearsDir().resolve(RackUnderTest.GEAR_BASIC + ".jar");
        Files.deleteIfExists(mine); // left by an interrupted earlier run (gears/ outlives the framework)
        rack.removeGearBasic();
        Path artifact = Files.copy(Path.of(context.getProperty("fluxrig.itest.gear.basic.jar")), tmp.resolve("gear.basic.jar"));
        try {
            Outcome first = install(artifact);
            assertEquals("done", first.status(), first.detail());
            assertTrue(first.detail().startsWith(RackUnderTest.GEAR_BASIC + " "), first.detail());
            assertTrue(first.detail().endsWith(" active from gears/" + RackUnderTest.GEAR_BASIC + ".jar"), first.detail());
            Bundle b = rack.bundle(RackUnderTest.GEAR_BASIC).orElseThrow();
            assertEquals(Bundle.ACTIVE, b.getState());
            assertArrayEquals(Files.readAllBytes(artifact), Files.readAllBytes(mine), "the artifact is the file in gears/");
            assertFalse(Files.exists(Path.of(context.getProperty("fluxrig.rack.data")).resolve("deploy").resolve(mine.getFileName() + ".new")),
                    "no staging file left");

            long modified = b.getLastModified();
            Outcome again = install(artifact);
            assertEquals("done", again.status(), again.detail());
            assertTrue(again.detail().contains("already active from gears/" + RackUnderTest.GEAR_BASIC + ".jar"), again.detail());
            assertEquals(modified, b.getLastModified(), "the same content again does not update the bundle");

            // apply-patch: a valid patch using the type just installed is written, applied, and runs.
            String yaml = """
                    gears:
                      dep-src: { type: probe-source }
                      dep-up: { type: transform, config: { upper: [text] } }
                      dep-sink: { type: probe }
                    links:
                      - dep-src.out -> dep-up.in
                      - dep-up.out -> dep-sink.in
                    """;
            Outcome applied = patch(yaml);
            assertEquals("done", applied.status(), applied.detail());
            assertTrue(applied.detail().startsWith("applied: 3 gears, 2 links ("), applied.detail());
            assertEquals(yaml, Files.readString(rack.patchFile()));
            ProbeSource src = rack.gear("dep-src", ProbeSource.class);
            ProbeSink sink = rack.gear("dep-sink", ProbeSink.class);
            Await.until("transform instance bound", () -> rack.registered("dep-up"));
            Await.until("source opened", src::isOpen);
            src.emit(FluxMsg.builder().data("text", "deployed").build());
            Await.until("message through the deployed flow", () -> !sink.received().isEmpty());
            assertEquals("DEPLOYED", sink.received().get(0).getString("text"));

            Outcome same = patch(yaml);
            assertEquals("done", same.status(), same.detail());
            assertTrue(same.detail().startsWith("already applied: 3 gears, 2 links"), same.detail());

            // An invalid patch is refused with its problem and never reaches the patch file.
            byte[] before = Files.readAllBytes(rack.patchFile());
            Outcome bad = patch(yaml.replace("dep-up.out -> dep-sink.in", "dep-up.nowhere -> dep-sink.in"));
            assertEquals("refused", bad.status(), bad.detail());
            assertTrue(bad.detail().contains("the patch file is unchanged"), bad.detail());
            assertTrue(bad.detail().contains("gear 'dep-up' (transform) has no output port 'nowhere'"), bad.detail());
            assertArrayEquals(before, Files.readAllBytes(rack.patchFile()));
            assertTrue(rack.registered("dep-up"), "the running flow is unchanged");
        } finally {
            Files.deleteIfExists(mine);
            Await.until("gear.basic uninstalled", () -> rack.bundle(RackUnderTest.GEAR_BASIC).isEmpty());
        }

        // With gear.basic deployed by hand as gears/gear.basic.jar, installing it updates that file.
        Bundle byHand = rack.deployGearBasic();
        long modified = byHand.getLastModified();
        Outcome update = install(artifact);
        assertEquals("done", update.status(), update.detail());
        assertTrue(update.detail().contains(" active from gears/gear.basic.jar (was " + RackUnderTest.GEAR_BASIC), update.detail());
        assertFalse(Files.exists(mine), "no second file for the same bundle");
        assertTrue(byHand.getLastModified() != modified && byHand.getState() == Bundle.ACTIVE, "the same bundle was updated");
    }

    @Test
    void refusesWhatIsNotADeployableBundle() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        Outcome text = install(Files.writeString(tmp.resolve("notes.jar"), "just text"));
        assertEquals("refused", text.status());
        assertTrue(text.detail().startsWith("notes.jar sha256:0123456789ab.. is not a jar: not a zip file"), text.detail());

        Outcome noManifest = install(jar("plain.jar", null));
        assertEquals("refused", noManifest.status());
        assertEquals("plain.jar sha256:0123456789ab.. is not an OSGi bundle: the jar has no manifest (META-INF/MANIFEST.MF)",
                noManifest.detail());

        Outcome noName = install(jar("lib.jar", Map.of("Implementation-Title", "lib")));
        assertEquals("refused", noName.status());
        assertTrue(noName.detail().endsWith("its manifest has no Bundle-SymbolicName"), noName.detail());

        Outcome base = install(bundleJar("runtime.jar", "io.fluxrig.rack.runtime", "9.0.0", null));
        assertEquals("refused", base.status());
        assertTrue(base.detail().contains("io.fluxrig.rack.runtime is a base bundle of this rack"), base.detail());
        assertFalse(Files.exists(rack.gearsDir().resolve("io.fluxrig.rack.runtime.jar")));
    }

    @Test
    void aBundleThatCannotResolveIsRolledBack() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        String bsn = "io.fluxrig.itest.deployed";
        try (RackUnderTest.GearsFile gears = rack.gearsFile(bsn)) {
            Path file = gears.path();
            Path good = bundleJar("good.jar", bsn, "1.0.0", null);
            Outcome first = install(good);
            assertEquals("done", first.status(), first.detail());
            assertEquals(bsn + " 1.0.0 (good.jar sha256:0123456789ab..) active from gears/" + bsn + ".jar", first.detail());

            // Replacing it with a version whose import nobody exports: failed, the good one is back.
            Outcome broken = install(bundleJar("broken.jar", bsn, "2.0.0", MISSING_PACKAGE));
            assertEquals("failed", broken.status(), broken.detail());
            assertTrue(broken.detail().startsWith(bsn + " 2.0.0 (broken.jar sha256:0123456789ab..) did not become active: "),
                    broken.detail());
            assertTrue(broken.detail().contains(MISSING_PACKAGE), "the reason names the missing package: " + broken.detail());
            assertTrue(broken.detail().endsWith("rolled back: the previous gears/" + bsn + ".jar is restored, " + bsn
                    + " 1.0.0 active again"), broken.detail());
            Bundle b = rack.bundle(bsn).orElseThrow();
            assertEquals("1.0.0", b.getVersion().toString());
            assertEquals(Bundle.ACTIVE, b.getState());
            assertArrayEquals(Files.readAllBytes(good), Files.readAllBytes(file));
        }

        // A new bundle that cannot resolve: failed, its file removed, no bundle left.
        String other = "io.fluxrig.itest.unresolvable";
        Outcome fresh = install(bundleJar("unresolvable.jar", other, "1.0.0", MISSING_PACKAGE));
        assertEquals("failed", fresh.status(), fresh.detail());
        assertTrue(fresh.detail().contains(MISSING_PACKAGE), fresh.detail());
        assertTrue(fresh.detail().endsWith("rolled back: removed gears/" + other + ".jar, the bundle is uninstalled"), fresh.detail());
        assertFalse(Files.exists(rack.gearsDir().resolve(other + ".jar")));
        assertTrue(rack.bundle(other).isEmpty());
    }

    @Test
    void anInstallIsUndoneWithTheReleaseItReplacedOrByRemovingANewBundle() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        String bsn = "io.fluxrig.itest.restored";
        try (RackUnderTest.GearsFile gears = rack.gearsFile(bsn)) {
            Path file = gears.path();
            Path v1 = bundleJar("v1.jar", bsn, "1.0.0", null);
            Path v2 = bundleJar("v2.jar", bsn, "2.0.0", null);

            // Undoing v1, which was new to the rack, uninstalls it.
            assertEquals("done", install(v1).status());
            Outcome removed = restore(v1);
            assertEquals("done", removed.status(), removed.detail());
            assertTrue(removed.detail().startsWith("restored: " + bsn + " was new on this rack; removed gears/" + bsn + ".jar"),
                    removed.detail());
            assertFalse(Files.exists(file));
            assertTrue(rack.bundle(bsn).isEmpty());

            // Undoing v2 puts back exactly v1 (the copy the rack kept), without anyone sending it again.
            assertEquals("done", install(v1).status());
            Outcome second = install(v2);
            assertEquals("done", second.status(), second.detail());
            assertEquals("2.0.0", rack.bundle(bsn).orElseThrow().getVersion().toString());
            Outcome undone = restore(v2);
            assertEquals("done", undone.status(), undone.detail());
            assertTrue(undone.detail().startsWith("restored " + bsn + " 1.0.0 (sha256:"), undone.detail());
            Bundle b = rack.bundle(bsn).orElseThrow();
            assertEquals("1.0.0", b.getVersion().toString());
            assertEquals(Bundle.ACTIVE, b.getState());
            assertArrayEquals(Files.readAllBytes(v1), Files.readAllBytes(file));

            // Twice: the record is used up.
            Outcome again = restore(v2);
            assertEquals("done", again.status(), again.detail());
            assertTrue(again.detail().startsWith("nothing to restore: this rack kept no record of installing v2.jar"), again.detail());
            assertEquals("1.0.0", rack.bundle(bsn).orElseThrow().getVersion().toString());

            // A later install replaces the record; a file changed by hand since is not restored over.
            assertEquals("done", install(v2).status());
            Outcome replaced = restore(v1);
            assertEquals("done", replaced.status(), replaced.detail());
            assertTrue(replaced.detail().startsWith("nothing to restore"), replaced.detail());
            Path v3 = bundleJar("v3.jar", bsn, "3.0.0", null);
            Path byHand = Files.copy(v3, Path.of(context.getProperty("fluxrig.rack.data")).resolve("v3-by-hand.jar"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(byHand, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Await.until("3.0.0 deployed by hand", () -> rack.bundle(bsn).map(x -> x.getVersion().toString()).orElse("").equals("3.0.0"));
            Outcome stale = restore(v2);
            assertEquals("refused", stale.status(), stale.detail());
            assertTrue(stale.detail().contains("no longer holds v2.jar"), stale.detail());
            assertEquals("3.0.0", rack.bundle(bsn).orElseThrow().getVersion().toString());
        }
    }

    private Outcome restorePatch(String text, String label) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(component.name=" + COMPONENT + ")");
        assertNotNull(refs, "the rack registers its Deployer component");
        Object deployer = context.getService(refs[0]);
        try {
            return new Outcome("done", (String) deployer.getClass().getMethod("restorePatch", String.class, String.class)
                    .invoke(deployer, "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8))), label));
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            assertEquals("DeployException", t.getClass().getSimpleName(), "unexpected failure: " + t);
            boolean refused = (Boolean) t.getClass().getMethod("refused").invoke(t);
            return new Outcome(refused ? "refused" : "failed", t.getMessage());
        } finally {
            context.ungetService(refs[0]);
        }
    }

    @Test
    void aPatchApplicationIsUndoneWithTheNumberedSnapshotOfThePatchItReplaced() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        Path snapshots = Path.of(context.getProperty("fluxrig.rack.data")).resolve("deploy").resolve("patches");
        String first = """
                gears:
                  snap-src: { type: probe-source }
                  snap-sink: { type: probe }
                links:
                  - snap-src.out -> snap-sink.in
                """;
        String second = """
                gears:
                  snap-src: { type: probe-source }
                  snap-up: { type: probe }
                links:
                  - snap-src.out -> snap-up.in
                """;
        byte[] before = Files.exists(rack.patchFile()) ? Files.readAllBytes(rack.patchFile()) : null;
        try {
            Outcome one = call("applyPatch", Files.writeString(tmp.resolve("first.yaml"), first), "first.yaml sha256:0123456789ab..");
            assertEquals("done", one.status(), one.detail());
            Matcher n = Pattern.compile("\\(patch snapshot (\\d+)\\)$").matcher(one.detail());
            assertTrue(n.find(), one.detail());
            int numbered = Integer.parseInt(n.group(1));
            assertEquals(first, Files.readString(snapshots.resolve(numbered + ".yaml")), "the snapshot is the applied text");
            Outcome two = call("applyPatch", Files.writeString(tmp.resolve("second.yaml"), second), "second.yaml sha256:0123456789ab..");
            assertEquals("done", two.status(), two.detail());
            assertTrue(two.detail().endsWith("(patch snapshot " + (numbered + 1) + ")"), two.detail());
            Await.until("second patch running", () -> rack.registered("snap-up"));

            // Undone: the first patch is the rack's patch again and runs, from the snapshot the rack kept.
            Outcome back = restorePatch(second, "second.yaml sha256:0123456789ab..");
            assertEquals("done", back.status(), back.detail());
            assertTrue(back.detail().startsWith("restored patch snapshot " + numbered + " (first.yaml sha256:0123456789ab.., sha256:"),
                    back.detail());
            assertEquals(first, Files.readString(rack.patchFile()));
            Await.until("first patch running again", () -> rack.registered("snap-sink") && !rack.registered("snap-up"));
            ProbeSource src = rack.gear("snap-src", ProbeSource.class);
            ProbeSink sink = rack.gear("snap-sink", ProbeSink.class);
            Await.until("source opened", src::isOpen);
            src.emit(FluxMsg.builder().data("text", "restored").build());
            Await.until("message through the restored flow", () -> !sink.received().isEmpty());

            Outcome again = restorePatch(second, "second.yaml sha256:0123456789ab..");
            assertEquals("done", again.status(), again.detail());
            assertTrue(again.detail().startsWith("nothing to restore: the application of second.yaml"), again.detail());
        } finally {
            if (before == null) {
                Files.deleteIfExists(rack.patchFile());
            } else {
                Files.write(rack.patchFile(), before);
            }
        }
    }
}
