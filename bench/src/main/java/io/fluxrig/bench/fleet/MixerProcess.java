package io.fluxrig.bench.fleet;

import io.fluxrig.snake.api.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mixer for the fleet bench, started as users start it ({@code run/fluxrig mixer}, which
 * execs the Mixer's JVM: Felix, the Web Console, the operator API), in its own process so its CPU
 * and heap are its own. Ready when it writes {@code DATA/mixer.ready}; the operator token and CA
 * are read from its data folder. {@link #close} stops it (SIGTERM, then SIGKILL after 20 s).
 */
final class MixerProcess implements AutoCloseable {
    final Path data;
    final int snakePort;
    final int apiPort;
    final String consoleUser = "fleet";
    final String consolePassword;
    final Process process;

    /** @param natsCa the CA file of the NATS server's TLS certificate */
    MixerProcess(Path root, Path data, String nats, Path natsCa, int snakePort, int apiPort, String consolePassword, String javaOpts)
            throws IOException, InterruptedException {
        this.data = data;
        this.snakePort = snakePort;
        this.apiPort = apiPort;
        this.consolePassword = consolePassword;
        Files.createDirectories(data);
        // The console password goes to the launcher in a 0600 file, never as an argument.
        Path passwordFile = data.resolve("console-password.txt");
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, consolePassword + "\n");
        ProcessBuilder pb = new ProcessBuilder(List.of(root.resolve("run/fluxrig").toString(), "mixer", "--data", data.toString(),
                "--nats", nats, "--nats-ca", natsCa.toString(), "--snake-port", Integer.toString(snakePort), "--api-port", Integer.toString(apiPort),
                "--console-user", consoleUser, "--console-password-file", passwordFile.toString()))
                .redirectErrorStream(true).redirectOutput(data.resolve("mixer.log").toFile());
        pb.environment().put("FLUXRIG_JAVA_OPTS", javaOpts);
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10); // a first run may build first
        while (!Files.exists(data.resolve("mixer.ready"))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("the Mixer did not become ready; see " + data.resolve("mixer.log"));
            }
            Thread.sleep(200);
        }
    }

    long pid() {
        return process.pid();
    }

    String operatorToken() throws IOException {
        return Files.readString(data.resolve("operator.token")).trim();
    }

    X509Certificate ca() throws Exception {
        return Pem.readCertificate(data.resolve("ca.crt"));
    }

    /** @return user + system CPU seconds of the Mixer process so far (Linux /proc) */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
    }

    /** @return resident set size in MiB */
    double rssMib() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return 0;
    }

    /** @return heap used after a full collection, MiB ({@code jcmd GC.run}, then {@code GC.heap_info}) */
    double heapAfterGcMib() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : -1;
    }

    private String jcmd(String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid()), what).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
