package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.fail;

import io.fluxrig.gear.Gear;
import io.fluxrig.testsupport.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The rack the in-framework tests run in, driven the way an operator drives it: by writing its
 * patch file and by dropping gear bundles into its {@code gears/} folder (paths from the
 * framework properties in itest.bndrun). Test classes share one framework, so every test writes
 * the whole patch it needs and waits for its own conditions.
 */
final class RackUnderTest {
    static final String GEAR_BASIC = "io.fluxrig.gear.basic";

    private final BundleContext context;

    RackUnderTest(BundleContext context) {
        this.context = context;
    }

    Path patchFile() {
        return Path.of(context.getProperty("fluxrig.rack.patch"));
    }

    Path gearsDir() throws IOException {
        Path dir = Path.of(context.getProperty("felix.fileinstall.dir"));
        Files.createDirectories(dir);
        return dir;
    }

    /** Writes the patch file atomically (the rack never reads half a file). */
    void writePatch(String yaml) throws IOException {
        Path file = patchFile();
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("patch.yaml.tmp");
        Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return a TCP port free on this host now (bound and released), for a server gear to listen on */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits until something accepts connections on 127.0.0.1:port (a server gear of the patch just written). */
    static void awaitListening(int port) throws Exception {
        Await.until("server listening on " + port, () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * The patch of an issuer host in one rack, its gears named after {@code prefix}:
     * {@code <prefix>-tcp} (iso8583.server, 2-byte length framing, on port) → decode →
     * {@code <prefix>-issuer} (iso8583.responder) → encode → back to {@code <prefix>-tcp}.
     *
     * @param issuerConfig the responder's configuration in flow style ({@code decline.amount.over: 10000}), or empty
     */
    static String issuerPatch(String prefix, int port, String issuerConfig) {
        return """
                gears:
                  %1$s-tcp: { type: iso8583.server, config: { port: %2$d, framing: binary2 } }
                  %1$s-dec: { type: iso8583.codec, config: { direction: decode } }
                  %1$s-issuer: { type: iso8583.responder%3$s }
                  %1$s-enc: { type: iso8583.codec, config: { direction: encode } }
                links:
                  - %1$s-tcp.out -> %1$s-dec.in
                  - %1$s-dec.out -> %1$s-issuer.in
                  - %1$s-issuer.out -> %1$s-enc.in
                  - %1$s-enc.out -> %1$s-tcp.in
                """.formatted(prefix, port, issuerConfig.isEmpty() ? "" : ", config: { " + issuerConfig + " }");
    }

    /**
     * A test bundle's file in gears/ ({@code <bsn>.jar}), absent when this returns (one left by an
     * interrupted earlier run is removed: gears/ outlives the framework) and removed again at
     * {@link GearsFile#close}, each time waiting until FileInstall has uninstalled the bundle.
     */
    GearsFile gearsFile(String bsn) throws Exception {
        GearsFile f = new GearsFile(this, bsn, gearsDir().resolve(bsn + ".jar"));
        Files.deleteIfExists(f.path());
        Await.until(bsn + " not installed", () -> bundle(bsn).isEmpty());
        return f;
    }

    /** See {@link #gearsFile}. */
    record GearsFile(RackUnderTest rack, String bsn, Path path) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            Files.deleteIfExists(path);
            Await.until(bsn + " uninstalled", () -> rack.bundle(bsn).isEmpty());
        }
    }

    /** Drops gear.basic into gears/ (as shipped), unless it is installed already; waits until active. */
    Bundle deployGearBasic() throws Exception {
        Optional<Bundle> installed = bundle(GEAR_BASIC);
        if (installed.isPresent() && installed.get().getState() == Bundle.ACTIVE) {
            return installed.get();
        }
        copyIntoGears(Path.of(context.getProperty("fluxrig.itest.gear.basic.jar")), null);
        Await.until("gear.basic active after dropping it into gears/",
                () -> bundle(GEAR_BASIC).filter(b -> b.getState() == Bundle.ACTIVE).isPresent());
        return bundle(GEAR_BASIC).orElseThrow();
    }

    /** Removes gear.basic from gears/; waits until FileInstall uninstalled it. */
    void removeGearBasic() throws Exception {
        Files.deleteIfExists(gearsDir().resolve("gear.basic.jar"));
        Await.until("gear.basic uninstalled after deleting it from gears/", () -> bundle(GEAR_BASIC).isEmpty());
    }

    /**
     * Replaces gears/gear.basic.jar with a copy that differs by one resource, as a new build of the
     * same bundle would, so FileInstall updates the installed bundle.
     */
    void replaceGearBasic(String revision) throws Exception {
        copyIntoGears(Path.of(context.getProperty("fluxrig.itest.gear.basic.jar")), revision);
    }

    private void copyIntoGears(Path jar, String revision) throws IOException {
        Path staging = Files.createTempFile("gear.basic", ".jar");
        try (InputStream in = Files.newInputStream(jar); JarInputStream jin = new JarInputStream(in);
             OutputStream out = Files.newOutputStream(staging);
             JarOutputStream jout = new JarOutputStream(out, jin.getManifest())) {
            for (JarEntry e = jin.getNextJarEntry(); e != null; e = jin.getNextJarEntry()) {
                jout.putNextEntry(new JarEntry(e.getName()));
                jin.transferTo(jout);
                jout.closeEntry();
            }
            if (revision != null) {
                jout.putNextEntry(new JarEntry("META-INF/fluxrig-itest-revision.txt"));
                jout.write(revision.getBytes(StandardCharsets.UTF_8));
                jout.closeEntry();
            }
        }
        Files.move(staging, gearsDir().resolve("gear.basic.jar"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    Optional<Bundle> bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }

    /** @return the gear service registered for an instance, waiting for it */
    <T> T gear(String instance, Class<T> type) throws Exception {
        Await.until("gear instance '" + instance + "' registered", () -> reference(instance, type) != null);
        return context.getService(reference(instance, type));
    }

    /** @return whether any service is registered for the gear instance */
    boolean registered(String instance) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                    "(" + Gear.INSTANCE + "=" + instance + ")");
            return refs != null && refs.length > 0;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    <T> ServiceReference<T> reference(String instance, Class<T> type) {
        try {
            return context.getServiceReferences(type, "(" + Gear.INSTANCE + "=" + instance + ")")
                    .stream().findFirst().orElse(null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * @return whether the rack's router has bound every one of these gear instances (the
     *     {@code gears} table's STATE column): a service can be seen registered a moment before the
     *     router has taken it, and what is emitted to it meanwhile waits for the binding
     */
    boolean bound(String... instances) {
        String table;
        try {
            table = command("gears");
        } catch (Exception e) {
            throw new IllegalStateException("the rack's gears command: " + e, e);
        }
        // STATE is the fifth column from the end: the BUNDLE before it is "<symbolic name> <version>" or "-".
        for (String instance : instances) {
            boolean bound = table.lines().map(l -> l.trim().split("\\s+"))
                    .anyMatch(cols -> cols[0].equals(instance) && cols.length >= 5 && cols[cols.length - 5].equals("bound"));
            if (!bound) {
                return false;
            }
        }
        return true;
    }

    /** Runs a gogo command of the rack ({@code rack:gears}, {@code rack:patch}) and returns its text. */
    String command(String function) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(osgi.command.scope=rack)");
        if (refs == null || refs.length == 0) {
            fail("no gogo command service with osgi.command.scope=rack");
        }
        Object commands = context.getService(refs[0]);
        try {
            Method m = commands.getClass().getMethod(function);
            return (String) m.invoke(commands);
        } finally {
            context.ungetService(refs[0]);
        }
    }
}
