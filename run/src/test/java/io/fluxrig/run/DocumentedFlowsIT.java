package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Readiness;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.testsupport.Await;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manuals' flows, run as typed: every fenced block tagged {@code sh try} in a module README
 * (mixer.bundle's "Try it"; cli's msg, nats and release blocks) is split into commands (a heredoc
 * stays with its command; comments are dropped) and each runs with {@code bash -c} in a folder
 * that looks like the checkout (a link to every top-level entry, so {@code data/} and the files a
 * flow writes stay in a temporary folder). The only change: the documented default ports (NATS
 * 4222, its routes 6222 and monitoring 8222, Snake 7443, API 8443, rack console 8181) become free
 * ones; the operator's context file goes to {@code $FLUXRIG_CONFIG} there. A command ending in
 * {@code &} keeps running under the {@link Supervisor}; the next command waits, as the README tells
 * its reader, for its readiness: the line it writes to the file its output is redirected to, the
 * NATS port, {@code DATA/mixer.ready}, {@code DATA/rack.ready} and, for a rack with
 * {@code --mixer}, the Mixer listing it online ({@code racks --json}). Every other command must
 * exit 0; what it printed with {@code --json} must be JSON. Then each flow's outcome is checked
 * through its {@code --json} output and the files it wrote, never log lines. (The root README's
 * {@code run/fluxrig demo} is {@code PaymentDemoIT}'s.)
 */
class DocumentedFlowsIT {
    private static final Duration START = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOCK = Pattern.compile("```sh try\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern HEREDOC = Pattern.compile("<<-?'?([A-Za-z_]+)'?");
    private static final Pattern PORT = Pattern.compile("\\b(4222|6222|8222|7443|8443|8181)\\b");
    private static final Pattern REDIRECT = Pattern.compile(" > (\\S+)$");

    @TempDir
    Path home;

    @Test
    void theMixerTryItFlowRunsAsTyped() throws Exception {
        List<String> commands = commands("mixer.bundle/README.md");
        assertTrue(commands.size() >= 8, "the block was found: " + commands);
        Path cwd = checkoutLookalike();
        Map<String, String> ports = Map.of("4222", free(), "8222", free(), "7443", free(), "8443", free(), "8181", free());
        Map<String, String> env = Map.of("FLUXRIG_CONFIG", home.resolve("config").toString());
        try (Supervisor processes = Fluxrig.processes()) {
            runAll(processes, cwd, env, commands, ports);
            // The outcome, as the README's comments describe it.
            JsonNode racks = json(operator(cwd, env, "run/fluxrig racks --json"));
            assertTrue(online(racks, "edge1"), racks.toString());
            String digest = sha256(cwd.resolve("gear.basic/target/gear.basic-1.0.0-SNAPSHOT.jar"));
            JsonNode info = json(operator(cwd, env, "run/fluxrig rack-info edge1"));
            assertTrue(info.toString().contains(digest), "rack-info lists the deployed gear.basic " + digest + ": " + info);
            assertEquals(sha256(cwd.resolve("tick.yaml")), info.at("/inventory/patch").asText(), "the patch the rack runs: " + info);
            JsonNode applied = json(operator(cwd, env, "run/fluxrig apply rig.yaml --json"));
            assertTrue(applied.get("nothingToDo").asBoolean(), "the rig names what the deploy put in place: " + applied);
            assertTrue(Files.isRegularFile(cwd.resolve("data/mixer/etc/fluxrig.mixer.cfg")), "the Mixer's settings are a file");
            assertTrue(Files.isRegularFile(cwd.resolve("data/racks/edge1/etc/io.fluxrig.rack.cfg")), "the rack's settings are a file");
            Path token = cwd.resolve("edge1-token.json");
            for (Child c : processes.children()) {
                String t = json(Files.readString(token)).path("token").asText();
                assertFalse(c.process().info().arguments().map(a -> String.join(" ", a)).orElse("").contains(t),
                        c.name() + " has the enrolment token in its command line");
            }
        }
    }

    @Test
    void theCliFlowsRunAsTyped() throws Exception {
        List<String> commands = commands("cli/README.md");
        assertTrue(commands.size() >= 8, "the blocks were found: " + commands);
        Path cwd = checkoutLookalike();
        // A cluster's node i listens on the documented port + i: three free ports in a row for each.
        Map<String, String> ports = Map.of("4222", freeRow(3), "6222", freeRow(3), "8222", freeRow(3));
        Map<String, String> env = Map.of("FLUXRIG_CONFIG", home.resolve("config").toString());
        try (Supervisor processes = Fluxrig.processes()) {
            Map<String, Supervisor.Result> out = runAll(processes, cwd, env, commands, ports);

            // msg: the envelope survives encode and decode --unmasked; plain decode is for reading
            // (card data masked, the wire bytes left out); --hex is the same CBOR.
            JsonNode sample = json(Files.readString(cwd.resolve("sample.json")));
            assertEquals(sample, json(output(out, "run/fluxrig msg decode --unmasked < sample.cbor")));
            JsonNode masked = json(output(out, "run/fluxrig msg decode < sample.cbor"));
            assertEquals(sample.path("id"), masked.path("id"));
            assertTrue(sample.has("raw") && !masked.has("raw"), "for reading, the wire bytes are left out: " + masked);
            byte[] cbor = Files.readAllBytes(cwd.resolve("sample.cbor"));
            assertTrue(cbor.length > 0);
            assertEquals(HexFormat.of().formatHex(cbor), output(out, "run/fluxrig msg sample | run/fluxrig msg encode --hex").strip());

            // nats --cluster 3 --json: three nodes on the ports asked for, one meta leader among them.
            JsonNode cluster = json(Files.readString(cwd.resolve("nats-cluster.json")));
            int first = Integer.parseInt(ports.get("4222"));
            List<String> urls = new ArrayList<>();
            cluster.path("urls").forEach(u -> urls.add(u.asText()));
            assertEquals(List.of("tls://127.0.0.1:" + first, "tls://127.0.0.1:" + (first + 1), "tls://127.0.0.1:" + (first + 2)),
                    urls, cluster.toString());
            List<String> nodes = new ArrayList<>();
            cluster.path("nodes").forEach(n -> nodes.add(n.path("name").asText()));
            assertEquals(3, nodes.size(), cluster.toString());
            assertTrue(nodes.contains(cluster.path("metaLeader").asText()), cluster.toString());

            // release keygen / sign --json: a 0600 key, and a signed statement over gear.basic's jar.
            JsonNode key = json(output(out, "run/fluxrig release keygen --out publisher --json"));
            assertTrue(key.path("id").asText().startsWith("ed25519:"), key.toString());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(cwd.resolve("publisher.key"))));
            JsonNode signed = json(output(out, "run/fluxrig release sign gear.basic/target/gear.basic-1.0.0-SNAPSHOT.jar"
                    + " --key publisher.key --out gear.basic.jar.sig --json"));
            JsonNode release = signed.path("release").path("statement");
            assertEquals("bundle", release.path("kind").asText(), signed.toString());
            assertEquals("io.fluxrig.gear.basic", release.path("name").asText(), signed.toString());
            assertEquals(sha256(cwd.resolve("gear.basic/target/gear.basic-1.0.0-SNAPSHOT.jar")), release.path("digest").asText());
            assertTrue(Files.isRegularFile(cwd.resolve("gear.basic.jar.sig")));
            assertEquals(key.path("id").asText(), signed.path("release").path("key").asText(), "signed with the key just made");
        }
    }

    /** Runs the commands in order, ports replaced; @return each foreground command's result, by the command as typed */
    private Map<String, Supervisor.Result> runAll(Supervisor processes, Path cwd, Map<String, String> env, List<String> commands,
            Map<String, String> ports) throws Exception {
        Map<String, Supervisor.Result> results = new java.util.LinkedHashMap<>();
        for (String typed : commands) {
            Supervisor.Result r = run(processes, cwd, env, withPorts(typed, ports));
            if (r != null) {
                results.put(typed, r);
            }
        }
        return results;
    }

    private static String output(Map<String, Supervisor.Result> results, String typed) {
        Supervisor.Result r = results.get(typed);
        assertTrue(r != null, "the README still has the command '" + typed + "': " + results.keySet());
        return r.out();
    }


    /** The commands of the README's {@code sh try} blocks, in order. */
    static List<String> commands(String readme) throws IOException {
        String text = Files.readString(Fluxrig.ROOT.resolve(readme));
        List<String> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String[] lines = m.group(1).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                String command = line.replaceFirst("\\s+#\\s.*$", "").strip();
                Matcher h = HEREDOC.matcher(command);
                if (h.find()) {
                    StringBuilder b = new StringBuilder(command);
                    while (++i < lines.length) {
                        b.append('\n').append(lines[i]);
                        if (lines[i].equals(h.group(1))) {
                            break;
                        }
                    }
                    command = b.toString();
                }
                out.add(command);
            }
        }
        return out;
    }

    private static String withPorts(String command, Map<String, String> ports) {
        return PORT.matcher(command).replaceAll(r -> ports.get(r.group(1)));
    }

    /** @return the command's result, or null for one that keeps running ({@code &}) */
    private Supervisor.Result run(Supervisor processes, Path cwd, Map<String, String> env, String command) throws Exception {
        if (command.endsWith("&")) {
            String fg = command.substring(0, command.length() - 1).strip();
            Child c = processes.start("step-" + (processes.children().size() + 1),
                    new io.fluxrig.cli.launch.StartLine(cwd, List.of("bash", "-c", "exec " + fg)), env);
            c.awaitReady(readiness(cwd, fg), START);
            Matcher rack = Pattern.compile("\\brack .*--name (\\S+).*--mixer ").matcher(fg);
            if (rack.find()) {
                String name = rack.group(1);
                // A reader runs 'racks' until it lists the rack online; an answer that is not the list yet is "not yet".
                Await.until("the Mixer to list " + name + " online", () -> shell(cwd, env, "run/fluxrig racks --json"),
                        r -> onlineIn(r, name), START);
            }
            return null;
        }
        Supervisor.Result r = shell(cwd, env, command);
        assertEquals(0, r.exit(), "as typed: " + command + "\nstdout: " + r.out() + "\nstderr: " + r.stderr());
        if (command.contains("--json") && !command.contains(">")) {
            json(r.out());
        }
        return r;
    }

    /** What the README tells its reader to wait for. */
    private static Readiness readiness(Path cwd, String command) {
        Matcher redirect = REDIRECT.matcher(command);
        if (redirect.find()) {
            return lineIn(cwd.resolve(redirect.group(1)));
        }
        Matcher data = Pattern.compile("--data (\\S+)").matcher(command);
        if (command.startsWith("run/fluxrig nats")) {
            Matcher port = Pattern.compile("--port (\\d+)").matcher(command);
            assertTrue(port.find(), "the README names the port: " + command);
            return Readiness.port(Integer.parseInt(port.group(1)));
        }
        assertTrue(data.find(), "the README names the data folder: " + command);
        Path dir = cwd.resolve(data.group(1));
        if (command.startsWith("run/fluxrig mixer")) {
            return Readiness.file(dir.resolve("mixer.ready"));
        }
        if (command.startsWith("run/fluxrig rack ")) {
            return Readiness.file(dir.resolve("rack.ready"));
        }
        throw new AssertionError("no readiness known for a long-running '" + command + "'");
    }

    /** Ready when the file holds a whole line: what a command prints on stdout once ready (e.g. nats --json). */
    private static Readiness lineIn(Path file) {
        return new Readiness() {
            @Override
            public boolean ready() {
                try {
                    return Files.isRegularFile(file) && Files.readString(file).endsWith("\n");
                } catch (IOException notYet) {
                    return false;
                }
            }

            @Override
            public String describe() {
                return "a line in " + file;
            }
        };
    }

    private static Supervisor.Result shell(Path cwd, Map<String, String> env, String command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(List.of("bash", "-c", "cd '" + cwd + "' && " + command));
        return Supervisor.runToEnd(cmd, new byte[0], START);
    }

    private static String operator(Path cwd, Map<String, String> env, String command) throws Exception {
        Supervisor.Result r = shell(cwd, env, command);
        assertEquals(0, r.exit(), command + ": " + r.stderr());
        return r.out();
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static boolean onlineIn(Supervisor.Result racks, String name) {
        try {
            return racks.exit() == 0 && online(json(racks.out()), name);
        } catch (IOException notJsonYet) {
            return false;
        }
    }

    /** @param racks what {@code racks --json} prints: {@code {"total","counts","racks":[...],"next"}} */
    private static boolean online(JsonNode racks, String name) {
        for (JsonNode r : racks.path("racks")) {
            if (name.equals(r.path("name").asText()) && "online".equals(r.path("state").asText())) {
                return true;
            }
        }
        return false;
    }

    /** A folder whose top-level entries link to the checkout's: commands find run/, cli/, gear jars; data stays here. */
    private Path checkoutLookalike() throws IOException {
        Path cwd = Files.createDirectories(home.resolve("checkout"));
        try (DirectoryStream<Path> top = Files.newDirectoryStream(Fluxrig.ROOT)) {
            for (Path p : top) {
                String n = p.getFileName().toString();
                if (!n.equals("data") && !n.startsWith(".")) {
                    Files.createSymbolicLink(cwd.resolve(n), p);
                }
            }
        }
        return cwd;
    }

    private static String free() throws IOException {
        return Integer.toString(Fluxrig.freePort());
    }

    /** @return the first of n ports in a row that are free now */
    private static String freeRow(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = Fluxrig.freePort();
            boolean all = p + n - 1 < 65536;
            for (int i = 1; i < n && all; i++) {
                try (java.net.ServerSocket s = new java.net.ServerSocket(p + i, 1, java.net.InetAddress.getLoopbackAddress())) {
                    all = true;
                } catch (IOException taken) {
                    all = false;
                }
            }
            if (all) {
                return Integer.toString(p);
            }
        }
        throw new IOException("no " + n + " free ports in a row");
    }

    private static String sha256(Path file) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
