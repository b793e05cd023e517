package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.NatsServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in any process argument or log file. A real nats-server, a Mixer and an enrolled rack,
 * all started through the launcher as an operator would (console passwords and the enrolment token
 * handed over in files); then every secret is read from the file it lives in (the operator token
 * and its hash, the Mixer's generated and the rack's chosen console password and their PBKDF2
 * hashes, the enrolment token, the CA and rack private keys, the NATS nkey seeds) and looked for in
 * {@code /proc/PID/cmdline} of every process this test started (and their children) and in every
 * log: the processes' own output and every {@code *.log} file under the data folders.
 */
class SecretScanIT {
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void noTokenPasswordHashOrKeyInAnyCommandLineOrLog() throws Exception {
        Path mixerData = tmp.resolve("mixer");
        Path rackData = tmp.resolve("edge1");
        Path rackPassword = tmp.resolve("rack-console-password.txt");
        Files.writeString(rackPassword, "rack-console-Secret-42\n");
        Path enrolToken = tmp.resolve("enrol.token");
        int snake = Fluxrig.freePort();
        int api = Fluxrig.freePort();
        int console = Fluxrig.freePort();
        try (NatsServer nats = NatsServer.started(); Supervisor processes = Fluxrig.processes()) {
            Child mixer = Fluxrig.start(processes, "mixer", "--data", mixerData.toString(), "--nats", nats.url(),
                    "--nats-creds", nats.creds(Role.MIXER).toString(), "--nats-ca", nats.caFile().toString(), "--nats-trust", nats.trust().dir().toString(),
                    "--snake-port", Integer.toString(snake), "--api-port", Integer.toString(api));
            Fluxrig.awaitReadyFile(mixer, mixerData.resolve("mixer.ready"), START);
            Supervisor.Result minted = Fluxrig.run(new byte[0], START, "token", "--rack", "edge1", "--ttl", "10m",
                    "--api", "https://127.0.0.1:" + api, "--data", mixerData.toString(), "--token-file", enrolToken.toString());
            assertEquals(0, minted.exit(), minted.stderr());
            Matcher cmd = Pattern.compile("--token-file (\\S+)").matcher(minted.out());
            assertTrue(cmd.find(), minted.out());
            Child rack = Fluxrig.start(processes, "rack", "--name", "edge1", "--data", rackData.toString(),
                    "--patch", Fluxrig.ROOT.resolve("run/demo/demo-patch.yaml").toString(), "--console-port", Integer.toString(console),
                    "--console-user", "ops", "--console-password-file", rackPassword.toString(),
                    "--mixer", "127.0.0.1:" + snake, "--token-file", cmd.group(1), "--heartbeat-ms", "500");
            Fluxrig.awaitOnline("edge1", List.of("--api", "https://127.0.0.1:" + api, "--data", mixerData.toString()), START);
            Fluxrig.generatedConsolePassword(mixerData, mixer);
            Fluxrig.awaitConsole(console);

            Map<String, String> secrets = secrets(mixerData, rackData, rackPassword, enrolToken, minted.out());
            List<String> places = new ArrayList<>();
            Map<String, String> texts = new LinkedHashMap<>();
            for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
                String cmdline = cmdline(p.pid());
                if (cmdline != null) {
                    texts.put("cmdline of " + p.pid() + " (" + cmdline.substring(0, Math.min(80, cmdline.length())) + ")", cmdline);
                }
            }
            for (Child c : processes.children()) {
                texts.put("output of " + c.name(), c.output());
            }
            for (Path root : List.of(mixerData, rackData)) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log") && Files.isRegularFile(f)).toList()) {
                        texts.put("log " + f, Files.readString(f, StandardCharsets.ISO_8859_1));
                    }
                }
            }
            // The framework caches: ConfigAdmin keeps no copy of a configuration (the console hash) there.
            for (Path root : List.of(mixerData.resolve("cache"), rackData.resolve("cache"))) {
                try (Stream<Path> files = Files.walk(root)) {
                    List<Path> cached = files.filter(Files::isRegularFile).toList();
                    assertFalse(cached.isEmpty(), root + " holds the framework's bundle cache");
                    for (Path f : cached) {
                        texts.put("cache file " + f, Files.readString(f, StandardCharsets.ISO_8859_1));
                    }
                }
            }
            assertTrue(texts.keySet().stream().filter(k -> k.startsWith("cmdline")).count() >= 3, "nats, Mixer and rack: " + texts.keySet());
            assertTrue(texts.keySet().stream().anyMatch(k -> k.startsWith("cmdline") && texts.get(k).contains("run/target/rack.jar"))
                    && texts.keySet().stream().anyMatch(k -> k.startsWith("cmdline") && texts.get(k).contains("run/target/mixer.jar")),
                    "the rack's and the Mixer's JVMs were read: " + texts.keySet());
            for (Map.Entry<String, String> text : texts.entrySet()) {
                for (Map.Entry<String, String> secret : secrets.entrySet()) {
                    if (text.getValue().contains(secret.getValue())) {
                        places.add(secret.getKey() + " in " + text.getKey());
                    }
                }
            }
            assertEquals(List.of(), places, "secrets found");
            rack.terminate(Duration.ofSeconds(30));
            mixer.terminate(Duration.ofSeconds(30));
        }
    }

    /** Every secret, read from the file it lives in, by name. */
    private static Map<String, String> secrets(Path mixerData, Path rackData, Path rackPassword, Path enrolToken, String tokenOutput)
            throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("operator token", read(mixerData.resolve("operator.token")));
        s.put("operator token hash", Files.readAllLines(mixerData.resolve("api-token.sha256")).get(0).strip());
        s.put("Mixer console password", read(mixerData.resolve("etc/console.password")));
        s.put("Mixer console password hash", hashKey(mixerData));
        s.put("rack console password", read(rackPassword));
        s.put("rack console password hash", hashKey(rackData));
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(read(enrolToken));
        assertTrue(token.find(), "the token file holds the token");
        s.put("enrolment token", token.group(1));
        s.put("Mixer CA private key", keyBody(mixerData.resolve("ca.key")));
        s.put("rack private key", keyBody(rackData.resolve("snake/rack.key")));
        s.put("Mixer NATS nkey seed", seed(mixerData.resolve("nats/mixer.creds")));
        Path rackCreds = rackData.resolve("snake/nats.creds");
        if (Files.exists(rackCreds)) {
            s.put("rack NATS nkey seed", seed(rackCreds));
        }
        for (Map.Entry<String, String> e : s.entrySet()) {
            assertTrue(e.getValue().length() >= 16, e.getKey() + " read: " + e.getValue().length() + " characters");
        }
        assertFalse(tokenOutput.contains(s.get("enrolment token")), "token --token-file prints no token: " + tokenOutput);
        return s;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    /** @return the derived-key part of the PBKDF2 hash in a data folder's console configuration */
    private static String hashKey(Path data) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(data.resolve("etc/io.fluxrig.console.cfg"))) {
            p.load(r);
        }
        String[] parts = p.getProperty("password.hash").split("\\$");
        assertEquals(4, parts.length, p.getProperty("password.hash"));
        return parts[3];
    }

    /** @return the first full line of a PEM private key's base64 body */
    private static String keyBody(Path pem) throws IOException {
        return Files.readAllLines(pem).stream().filter(l -> !l.startsWith("-----") && l.length() >= 40).findFirst()
                .orElseThrow(() -> new AssertionError("no key body in " + pem));
    }

    /** @return the nkey seed line of a NATS creds file */
    private static String seed(Path creds) throws IOException {
        return Files.readAllLines(creds).stream().map(String::strip).filter(l -> l.startsWith("SU")).findFirst()
                .orElseThrow(() -> new AssertionError("no user seed in " + creds));
    }

    private static String cmdline(long pid) throws IOException {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (NoSuchFileException e) {
            return null; // ended meanwhile
        }
    }
}
