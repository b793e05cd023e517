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
 * The READMEs' "Try it" flows, run as typed: every fenced block tagged {@code sh try} in the
 * module manuals below is split into commands (a heredoc stays with its command; comments are
 * dropped) and each runs with {@code bash -c} in a folder that looks like the checkout (a link to
 * every top-level entry, so {@code data/} and the files a flow writes stay in a temporary folder).
 * The only change: the documented default ports (NATS 4222 and its monitoring 8222, Snake 7443,
 * API 8443, rack console 8181) become free ones; the operator's context file goes to
 * {@code $FLUXRIG_CONFIG} there. A command ending in {@code &} keeps running under the
 * {@link Supervisor}; the next command waits, as the README tells its reader, for its readiness:
 * the NATS port, {@code DATA/mixer.ready}, {@code DATA/rack.ready} and, for a rack with
 * {@code --mixer}, the Mixer listing it online ({@code racks --json}). Every other command must
 * exit 0; what it printed with {@code --json} must be JSON. Then each flow's outcome is checked
 * through {@code --json} output, never log lines.
 */
class DocumentedFlowsIT {
    private static final Duration START = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOCK = Pattern.compile("```sh try\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern HEREDOC = Pattern.compile("<<-?'?([A-Za-z_]+)'?");
    private static final Pattern PORT = Pattern.compile("\\b(4222|8222|7443|8443|8181)\\b");

    @TempDir
    Path home;

    @Test
    void theMixerTryItFlowRunsAsTyped() throws Exception {
        List<String> commands = commands("mixer.bundle/README.md");
        assertTrue(commands.size() >= 8, "the block was found: " + commands);
        Path cwd = checkoutLookalike();
        Map<String, String> ports = Map.of("4222", free(), "8222", free(), "7443", free(), "8443", free(), "8181", free());
        Map<String, String> env = Map.of("FLUXRIG_CONFIG", home.resolve("config").toString());
        try (Supervisor processes = Supervisor.temporary()) {
            for (String typed : commands) {
                run(processes, cwd, env, withPorts(typed, ports));
            }
            // The outcome, as the README's comments describe it.
            JsonNode racks = json(operator(cwd, env, "run/fluxrig racks --json"));
            assertTrue(online(racks, "edge1"), racks.toString());
            String digest = sha256(cwd.resolve("gear.basic/target/gear.basic-1.0.0-SNAPSHOT.jar"));
            JsonNode info = json(operator(cwd, env, "run/fluxrig rack-info edge1"));
            assertTrue(info.toString().contains(digest), "rack-info lists the deployed gear.basic " + digest + ": " + info);
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

    private void run(Supervisor processes, Path cwd, Map<String, String> env, String command) throws Exception {
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
            return;
        }
        Supervisor.Result r = shell(cwd, env, command);
        assertEquals(0, r.exit(), "as typed: " + command + "\nstdout: " + r.out() + "\nstderr: " + r.stderr());
        if (command.contains("--json") && !command.contains(">")) {
            json(r.out());
        }
    }

    /** What the README tells its reader to wait for. */
    private static Readiness readiness(Path cwd, String command) {
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

    private static boolean online(JsonNode racks, String name) {
        for (JsonNode r : racks) {
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

    private static String sha256(Path file) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
