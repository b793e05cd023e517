package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fluxrig rack --mixer}: the enrolment token reaches the rack through its 0600 file, never
 * an argument. Through {@link Main#run} with in-memory streams (no terminal: the prompt reads the
 * first line of standard input, as on a pipe), against a checkout laid out in a temporary folder.
 */
class RackEnrolmentOptionsTest {
    private static final String TOKEN = "frt_4f1c9e2a7b";
    private static final String CA_HASH = "sha256:" + "ab".repeat(32);

    @TempDir
    Path root;

    private record Run(int code, String out, String err) {
    }

    private Run rack(String stdin, String... args) throws Exception {
        Files.createDirectories(root.resolve("run/target"));
        Files.writeString(root.resolve("run/target/rack-base.jar"), "jar");
        List<String> all = new ArrayList<>(List.of("rack", "--name", "edge", "--base", "--data", data().toString(), "--mixer",
                "127.0.0.1:7443", "--print-command", root.resolve("argv").toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all.toArray(String[]::new), new Console(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("FLUXRIG_HOME", root.toString())));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path data() {
        return root.resolve("racks/edge");
    }

    /** The token went to DATA/enrol.token (0600) and the hash to the Snake's configuration; the JVM's arguments hold neither. */
    private void assertHandedOverInFiles(String token, String caHash) throws Exception {
        Path file = data().resolve("enrol.token");
        assertEquals(token + "\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Properties snake = new Properties();
        try (var r = Files.newBufferedReader(data().resolve("etc/io.fluxrig.rack.snake.cfg"))) {
            snake.load(r);
        }
        assertEquals(caHash, snake.getProperty("ca.hash"));
        assertEquals(file.toString(), snake.getProperty("token.file"));
        String argv = Files.readString(root.resolve("argv"));
        assertTrue(argv.contains("-jar\0"), "the JVM command line was written: " + argv);
        assertFalse(argv.contains(token), "the token is in no argument of the JVM: " + argv);
    }

    /** Attack surface: a token as an argument sits in ps, /proc/PID/cmdline and the shell's history. */
    @Test
    void aTokenOnTheCommandLineIsRefusedNamingTheSaferWays() throws Exception {
        for (List<String> given : List.of(List.of("--token", TOKEN, "--ca-hash", CA_HASH), List.of("--token=" + TOKEN, "--ca-hash", CA_HASH),
                List.of("--ca-hash", CA_HASH, "--token", TOKEN))) {
            Run r = rack("", given.toArray(String[]::new));
            assertEquals(2, r.code(), given + ": " + r.err());
            assertTrue(r.err().startsWith("fluxrig rack: --token takes no value: a token on the command line is visible to other users "
                    + "in ps and /proc/PID/cmdline and stays in the shell's history; give --token alone to type it at a prompt (not echoed), "
                    + "--token-file FILE (written 0600 by 'fluxrig token --token-file FILE'), or --token-file - to read the output of "
                    + "'fluxrig token --json' from standard input"), given + ": " + r.err());
            assertFalse(r.err().contains(TOKEN) || r.out().contains(TOKEN), "the refusal does not repeat the token: " + r.err());
            assertFalse(Files.exists(data().resolve("enrol.token")), "nothing handed over");
            assertFalse(Files.exists(root.resolve("argv")), "no JVM to start");
        }
    }

    @Test
    void tokenAloneIsTypedAtThePrompt() throws Exception {
        Run r = rack(TOKEN + "\nnot read\n", "--token", "--ca-hash", CA_HASH);
        assertEquals(0, r.code(), r.err());
        assertEquals("enrolment token for rack edge: reading one line of standard input\n", r.err(),
                "the prompt (on stderr, a whole line), and the token not echoed back");
        assertFalse(r.out().contains(TOKEN));
        assertHandedOverInFiles(TOKEN, CA_HASH);
    }

    @Test
    void nothingTypedAtThePromptIsRefused() throws Exception {
        Run r = rack("\n", "--token", "--ca-hash", CA_HASH);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("fluxrig rack: --token: no token typed; give --token alone to type it at a prompt"), r.err());
        assertFalse(Files.exists(data().resolve("enrol.token")), "nothing handed over");
    }

    @Test
    void theTypedTokenNeedsTheCaHash() throws Exception {
        Run r = rack(TOKEN + "\n", "--token");
        assertEquals(2, r.code(), r.err());
        assertEquals("fluxrig rack: --token goes with --ca-hash sha256:HEX (the hash 'fluxrig token --show' printed), or give "
                + "--token-file\n", r.err(), "refused before prompting");
    }

    @Test
    void theTokenCommandsJsonIsReadFromStandardInput() throws Exception {
        String json = "{\"token\":\"" + TOKEN + "\",\"rack\":\"edge\",\"expiresAt\":\"2026-01-01T00:00:00Z\",\"caHash\":\"" + CA_HASH
                + "\",\"command\":\"run/fluxrig rack --name edge --mixer 127.0.0.1:7443 --token --ca-hash " + CA_HASH + "\"}\n";
        Run r = rack(json, "--token-file", "-");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertHandedOverInFiles(TOKEN, CA_HASH);
    }

    @Test
    void aTokenFileIsReadAndWhatIsNotTheTokenCommandsOutputIsRefusedWithoutQuotingIt() throws Exception {
        Path file = Files.writeString(root.resolve("edge.token"), "{\"token\":\"" + TOKEN + "\",\"caHash\":\"" + CA_HASH + "\"}\n");
        Run ok = rack("", "--token-file", file.toString());
        assertEquals(0, ok.code(), ok.err());
        assertHandedOverInFiles(TOKEN, CA_HASH);

        Run bare = rack(TOKEN + "\n", "--token-file", "-");
        assertEquals(1, bare.code(), bare.err());
        assertTrue(bare.err().contains("--token-file - (standard input): not the output of 'fluxrig token --json'"), bare.err());
        assertFalse(bare.err().contains(TOKEN), "the refusal does not quote what it read: " + bare.err());

        Run both = rack("", "--token-file", file.toString(), "--ca-hash", CA_HASH);
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("--token-file holds the token and the CA hash: give it without --token and --ca-hash"), both.err());
    }
}
