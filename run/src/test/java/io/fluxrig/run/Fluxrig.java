package io.fluxrig.run;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code run/fluxrig} exactly as a user types it, for the end-to-end tests: the processes go to the
 * CLI's {@link Supervisor} (the one the demo uses), so a test's processes are stopped and checked
 * by it. Stateless.
 */
final class Fluxrig {
    static final Path ROOT = Path.of(System.getProperty("fluxrig.root", "..")).toAbsolutePath().normalize();

    private Fluxrig() {
    }

    /**
     * @return a supervisor whose processes' logs go to a new folder under {@code run/target/process-logs}:
     *     kept after a failing test for its diagnosis, removed with the build's output, not gathered in
     *     the machine's {@code /tmp}
     */
    static Supervisor processes() throws IOException {
        Path logs = Files.createDirectories(ROOT.resolve("run/target/process-logs"));
        return new Supervisor(Files.createTempDirectory(logs, "it-"), null, null);
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("run/fluxrig").toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code run/fluxrig ARGS...} to its end with the given stdin. */
    static Supervisor.Result run(byte[] stdin, Duration timeout, String... args) throws IOException, InterruptedException {
        return Supervisor.runToEnd(command(args), stdin, timeout);
    }

    /** Starts {@code run/fluxrig ARGS...} under the supervisor, named after its command and start number. */
    static Child start(Supervisor processes, String... args) throws IOException {
        return start(processes, Map.of(), args);
    }

    /** As {@link #start(Supervisor, String...)}, with variables added to the environment. */
    static Child start(Supervisor processes, Map<String, String> env, String... args) throws IOException {
        return processes.start(args[0] + "-" + (processes.children().size() + 1), command(args), env);
    }

    /** As {@link #start(Supervisor, String...)}, with standard input read from {@code stdin} (what a prompt reads). */
    static Child startReading(Supervisor processes, Path stdin, String... args) throws IOException {
        return processes.start(args[0] + "-" + (processes.children().size() + 1), new io.fluxrig.cli.launch.StartLine(null, command(args)),
                Map.of(), stdin);
    }

    /**
     * The operator token the Mixer wrote at first start: from its 0600 file, never from its output.
     *
     * @throws AssertionError when the file is missing, readable by others, or its token was printed
     */
    static String operatorToken(Path mixerData, Child mixer) throws IOException {
        Path file = mixerData.resolve("operator.token");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no " + file + "; Mixer output:\n" + mixer.output());
        }
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        if (!mode.equals("rw-------")) {
            throw new AssertionError(file + " has mode " + mode + ", not rw-------");
        }
        String token = Files.readString(file).strip();
        if (token.isEmpty() || mixer.output().contains(token)) {
            throw new AssertionError("the operator token must be in its file only, never printed: " + mixer.output());
        }
        return token;
    }

    /**
     * SIGTERM, and the exit status of a fluxrig process that stopped on it. The JVM ends with 143
     * (128 + SIGTERM), or with 117, the bnd launcher's "framework stopped": the framework.stop hook
     * stops the framework while the JVM shuts down, and the launcher's main thread, waiting for
     * that stop, calls {@code System.exit(117)}; when that call comes after the shutdown hooks have
     * run and before the JVM halts, its status is the one the JVM ends with. Either way the
     * framework was stopped by the hook, which the callers check through the "stopped" lines.
     *
     * @return the exit status, 143 or 117
     */
    static int terminated(Child process, Duration timeout) throws IOException, InterruptedException {
        int status = process.terminate(timeout);
        if (status != 143 && status != 117) {
            throw new AssertionError("exit status " + status + " after SIGTERM (expected 143, or the launcher's 117):\n"
                    + process.output());
        }
        return status;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * The Web Console password a rack or the Mixer generated at its first start: from its 0600
     * file {@code <data>/etc/console.password} (waited for: the console writes it on its own
     * thread), never from the output, which names only the file.
     *
     * @throws AssertionError when the file is readable by others or the password was printed
     */
    static String generatedConsolePassword(Path data, Child process) throws IOException, InterruptedException {
        Path file = data.resolve("etc").resolve("console.password");
        io.fluxrig.testsupport.Await.until("the console's generated password in " + file, () -> Files.isRegularFile(file),
                Duration.ofSeconds(60));
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        if (!mode.equals("rw-------")) {
            throw new AssertionError(file + " has mode " + mode + ", not rw-------");
        }
        String password = Files.readString(file).strip();
        if (password.length() < 16 || process.output().contains(password)) {
            throw new AssertionError("the console password must be in its file only, never printed: " + process.output());
        }
        return password;
    }

    /**
     * Waits until the Web Console at {@code http://127.0.0.1:PORT/system/console} is served (it
     * answers 401 without credentials): it registers once its credentials are configured, which
     * may be after the readiness line.
     */
    static void awaitConsole(int port) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + port + "/system/console/bundles");
        io.fluxrig.testsupport.Await.until("the Web Console on port " + port, () -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 401;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, Duration.ofSeconds(60));
    }

    /** Waits for the readiness file the process writes in its data folder ({@code mixer.ready}, {@code rack.ready}). */
    static void awaitReadyFile(Child process, Path file, Duration timeout) throws IOException, InterruptedException {
        process.awaitReady(io.fluxrig.cli.launch.Readiness.file(file), timeout);
    }

    /**
     * Runs {@code rack-info RACK --json} with the given Mixer API options until the Mixer's record
     * says the rack is online (its heartbeats arrive over the Snake).
     *
     * @return that record
     */
    static com.fasterxml.jackson.databind.JsonNode awaitOnline(String rack, List<String> apiOptions, Duration timeout) throws Exception {
        List<String> args = new ArrayList<>(List.of("rack-info", rack, "--json"));
        args.addAll(apiOptions);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        return io.fluxrig.testsupport.Await.until("the Mixer to list " + rack + " online", () -> {
            Supervisor.Result r = run(new byte[0], Duration.ofMinutes(3), args.toArray(String[]::new));
            return r.exit() == 0 ? json.readTree(r.out()) : json.createObjectNode().put("error", r.stderr());
        }, r -> "online".equals(r.path("state").asText()), timeout);
    }
}
