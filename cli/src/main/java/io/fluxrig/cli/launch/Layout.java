package io.fluxrig.cli.launch;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the built pieces are in a fluxrig checkout: the CLI ({@code cli/target/fluxrig-cli.jar}
 * and {@code lib/}), the exported racks and Mixer ({@code run/target/*.jar}), the gear bundles
 * ({@code <module>/target/<module>-<version>.jar}), and the JVM options every rack and Mixer JVM
 * gets. The root is {@code $FLUXRIG_HOME}, else the checkout this CLI was loaded from. Immutable.
 *
 * @param root the checkout
 */
public record Layout(Path root) {
    /** @return the layout of {@code $FLUXRIG_HOME}, else of the checkout holding this class */
    public static Layout locate(Map<String, String> env) {
        String home = env.get("FLUXRIG_HOME");
        if (home != null && !home.isBlank()) {
            return new Layout(Path.of(home).toAbsolutePath().normalize());
        }
        try {
            // cli/target/fluxrig-cli.jar or cli/target/classes: three levels below the root
            Path here = Path.of(Layout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new Layout(here.getParent().getParent().getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the fluxrig checkout; set FLUXRIG_HOME", e);
        }
    }

    public Path rackJar(boolean base) {
        return root.resolve(base ? "run/target/rack-base.jar" : "run/target/rack.jar");
    }

    public Path mixerJar() {
        return root.resolve("run/target/mixer.jar");
    }

    public Path julProperties() {
        return root.resolve("run/jul.properties");
    }

    /** @return the built bundle of a gear module */
    public Path gearJar(String module) throws IOException {
        Path target = root.resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*.jar")) {
                for (Path j : jars) {
                    String n = j.getFileName().toString();
                    if (!n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar") && !n.endsWith("-tests.jar")) {
                        return j;
                    }
                }
            }
        }
        throw new IOException(module + " has no built bundle in " + target + "; build first: run/fluxrig build");
    }

    /** @throws IOException naming the file and the fix when a jar was not built */
    public Path require(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is not built; build first: run/fluxrig build");
        }
        return jar;
    }

    /** @return the java launcher running this JVM */
    public static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * JVM options every rack and Mixer JVM gets. On a machine with fewer than 3 CPUs the JDK sizes
     * ForkJoinPool.commonPool to 1 thread, and CompletableFuture's default async executor then
     * starts a new thread per task; the JDK HttpClient completes every response through it, so
     * json.http started one thread per call. A common pool of at least 2 keeps those on pooled threads.
     */
    public static List<String> jvmBase() {
        int n = Runtime.getRuntime().availableProcessors();
        return List.of("-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + (n > 3 ? n - 1 : 2));
    }

    /** @return the command line that runs this CLI with the given arguments */
    public List<String> cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmBase());
        cmd.addAll(List.of("-cp", root.resolve("cli/target/fluxrig-cli.jar") + ":" + root.resolve("cli/target/lib") + "/*",
                "io.fluxrig.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
