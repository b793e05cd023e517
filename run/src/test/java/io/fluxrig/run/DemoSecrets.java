package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The secrets part of the demo test: with the demo kept running, every secret the demo keeps is
 * read from its file and looked for in every process's {@code /proc/PID/cmdline} on the machine
 * (the demo's nats-server, issuer, Mixer and racks among them, by the PIDs the demo recorded), in
 * every {@code *.log} under the demo's folder and in the demo's own output; and the demo's, the
 * Mixer's and the racks' folders (around their framework caches) are owner-only.
 *
 * <p>The secrets are found, not listed: every file the demo keeps owner-only (no group or other
 * permission), outside the framework caches and the Mixer's artifact store, is a secret file,
 * and each kind has one rule for what in it is secret (a token, a private key's body, an nkey
 * seed, a password, a PBKDF2 hash). An owner-only file no rule knows fails the test, so a new
 * secret file cannot slip past the scan. Stateless; runs on the test's thread.
 */
final class DemoSecrets {
    private static final Pattern SEED = Pattern.compile("S[OAUCPNX][A-Z2-7]{50,}");
    private static final Set<PosixFilePermission> SHARED = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private DemoSecrets() {
    }

    /**
     * @param data the running demo's folder (its {@code pids} file names the demo's processes)
     * @param output what the demo printed
     */
    static void assertNoneInCommandLinesOrLogs(Path data, String output) throws IOException {
        // The folders around the framework caches and every file the JVMs make (whatever their umask): owner only.
        for (Path folder : List.of(data, data.resolve("mixer"), data.resolve("racks/edge"), data.resolve("racks/core"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)), folder + " is owner-only");
        }
        Map<String, String> secrets = secrets(data);
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("the demo's output", output);
        List<String> demoPids = Files.readAllLines(data.resolve("pids")).stream().filter(l -> !l.isBlank())
                .map(l -> l.split(" ")[1]).toList();
        assertTrue(demoPids.size() >= 5, "nats, issuer, Mixer, core and edge recorded: " + demoPids);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline = cmdline(p);
                if (cmdline != null) {
                    texts.put("cmdline of " + p.getFileName() + " (" + cmdline.substring(0, Math.min(100, cmdline.length())) + ")", cmdline);
                }
            }
        }
        for (String pid : demoPids) {
            assertTrue(texts.keySet().stream().anyMatch(k -> k.startsWith("cmdline of " + pid + " ")),
                    "the demo's process " + pid + " is running and its command line was read");
        }
        try (Stream<Path> files = Files.walk(data)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().endsWith(".log") && Files.isRegularFile(f)).toList();
            assertTrue(logs.stream().anyMatch(f -> f.endsWith("logs/mixer.log")) && logs.stream().anyMatch(f -> f.endsWith("logs/edge.log"))
                    && logs.stream().anyMatch(f -> f.endsWith("logs/nats.log")), "the demo's logs: " + logs);
            for (Path f : logs) {
                texts.put("log " + f, Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> text : texts.entrySet()) {
            for (Map.Entry<String, String> secret : secrets.entrySet()) {
                if (text.getValue().contains(secret.getValue())) {
                    found.add(secret.getKey() + " in " + text.getKey());
                }
            }
        }
        assertEquals(List.of(), found, "secrets found in command lines or logs");
    }

    /** Every secret of the demo's owner-only files, named by file and part. */
    static Map<String, String> secrets(Path data) throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        List<Path> secretFiles;
        try (Stream<Path> files = Files.walk(data)) {
            secretFiles = files.filter(f -> !f.toString().contains("/cache/") && !f.startsWith(data.resolve("mixer/artifacts")))
                    .filter(Files::isRegularFile).filter(DemoSecrets::ownerOnly).sorted().toList();
        }
        for (Path f : secretFiles) {
            String name = f.getFileName().toString();
            String label = data.relativize(f).toString();
            if (name.endsWith(".key")) {
                List<String> body = Files.readAllLines(f).stream().filter(l -> !l.startsWith("-----") && l.strip().length() >= 24).toList();
                assertFalse(body.isEmpty(), "a private key's body in " + f);
                for (int i = 0; i < body.size(); i++) {
                    s.put(label + " line " + (i + 1), body.get(i).strip());
                }
            } else if (name.endsWith(".nk") || name.endsWith(".creds")) {
                Matcher seed = SEED.matcher(Files.readString(f));
                assertTrue(seed.find(), "an nkey seed in " + f);
                s.put(label + " seed", seed.group());
            } else if (name.endsWith(".token") || name.equals("api-token.sha256")) {
                String first = Files.readAllLines(f).get(0).strip().split("\\s+")[0];
                Matcher inJson = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(first);
                s.put(label, inJson.find() ? inJson.group(1) : first);
            } else if (name.equals("console.txt") || name.equals("console.password")) {
                String text = Files.readString(f);
                Matcher pw = Pattern.compile("(?m)^password=(.+)$").matcher(text);
                s.put(label, pw.find() ? pw.group(1).strip() : text.strip());
            } else if (name.equals("io.fluxrig.console.cfg")) {
                Properties p = new Properties();
                try (var r = Files.newBufferedReader(f)) {
                    p.load(r);
                }
                String[] parts = String.valueOf(p.getProperty("password.hash")).split("\\$");
                assertEquals(4, parts.length, "a PBKDF2 hash in " + f);
                s.put(label + " hash", parts[3]);
            } else if (name.endsWith(".p12")) {
                continue; // a keystore: binary, its key is never text anywhere
            } else {
                fail("an owner-only file the secret scan has no rule for: " + f + " (add one to " + DemoSecrets.class.getSimpleName() + ")");
            }
        }
        for (String wanted : List.of("mixer/operator.token", "console.txt", "mixer/ca.key line 1", "racks/edge/snake/rack.key line 1",
                "racks/core/enrol.token", "racks/edge/snake/nats.creds seed", "nats/trust/operator.nk seed", "release/publisher.key line 1",
                "racks/edge/etc/io.fluxrig.console.cfg hash")) {
            assertTrue(s.containsKey(wanted), wanted + " among the secrets read: " + s.keySet());
        }
        s.forEach((k, v) -> assertTrue(v.length() >= 16, k + " read: " + v.length() + " characters"));
        return s;
    }

    private static boolean ownerOnly(Path f) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
            return p.contains(PosixFilePermission.OWNER_READ) && p.stream().noneMatch(SHARED::contains);
        } catch (IOException e) {
            return false; // removed meanwhile
        }
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (NoSuchFileException e) {
            return null; // ended meanwhile
        } catch (IOException e) {
            return null; // not readable to this user: not the demo's (the demo's own are checked above)
        }
    }
}
