package io.fluxrig.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One rack for a wire benchmark, started as a user starts it: {@code run/fluxrig rack --name NAME
 * --data DIR --patch FILE --console-port P} (the exported {@code run/target/rack.jar}; the launcher
 * builds it when missing). Its data folder gets {@code gears/fluxrig.wire.jetstream.cfg} pointing
 * the wire transport at the benchmark's nats-server; FileInstall's write-back is off, as in the
 * demo. Output goes to {@code DIR/rack.log}. {@link #close()} sends SIGTERM and waits.
 */
final class WireBenchRack implements AutoCloseable {
    private final String name;
    private final Path log;
    private final Process process;

    /**
     * @param natsCreds the creds file the rack's transport authenticates with
     * @param natsCa the CA file of the server's TLS certificate, or null for a plaintext server
     * @param inFlight the transport's {@code default.max.in.flight}, or 0 for its default
     * @param javaOpts more JVM options for the rack (e.g. a JFR recording); {@code {rack}} becomes its name
     */
    WireBenchRack(Path root, Path data, String name, String natsUrl, Path natsCreds, Path natsCa, String patch, int inFlight,
            String javaOpts)
            throws IOException, InterruptedException {
        this.name = name;
        Files.createDirectories(data.resolve("gears"));
        Files.writeString(data.resolve("gears/fluxrig.wire.jetstream.cfg"), "servers=" + natsUrl + "\ncredentials.file=" + natsCreds
                + (natsCa == null ? "" : "\ntls.ca.file=" + natsCa) + "\nconnection.name=" + name + "\n"
                + (inFlight > 0 ? "default.max.in.flight=" + inFlight + "\n" : ""));
        Path patchFile = data.resolve("patch.yaml");
        Files.writeString(patchFile, patch);
        this.log = data.resolve("rack.log");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(root.resolve("run/fluxrig").toString(), "rack", "--name", name, "--data",
                data.toString(), "--patch", patchFile.toString(), "--console-port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("FLUXRIG_JAVA_OPTS", "-Dfelix.fileinstall.enableConfigSave=false " + javaOpts.replace("{rack}", name));
        Path ready = data.resolve("rack.ready"); // written by the rack once ready (never read its log for that)
        Files.deleteIfExists(ready);
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(ready)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("rack " + name + " not ready: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println("rack " + name + " did not stop within 30 s of SIGTERM; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
