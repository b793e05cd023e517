package io.fluxrig.run;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.iso.Requests;
import io.fluxrig.cli.iso.SendFleet;
import io.fluxrig.iso8583.IsoMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code run/fluxrig demo}, with real processes: nats-server, the issuer,
 * racks edge and core (two JVMs), iso send. Checks the summary against the issuer's rules applied to
 * the requests iso send generates (its terminals' generators are seeded), that nothing is left
 * running, that {@code --keep} leaves the demo up (and, while it is up, that none of its secrets is in
 * a process's arguments or a log: {@link DemoSecrets}) and that the next run stops it first.
 */
class PaymentDemoIT {
    static final int COUNT = 2000;
    static final int CONNECTIONS = 50;
    static final long LIMIT = 100_000;
    static final Pattern SUMMARY = Pattern.compile(
            "sent (\\d+)  answered (\\d+)  approved (\\d+)  declined (\\d+) \\[([^\\]]*)\\]  timed-out (\\d+)  mismatched (\\d+)  late (\\d+)  lost (\\d+)");

    @TempDir
    Path data;

    /** One request of iso send's fleet: its card and amount (minor units). */
    record Card(String pan, long amount) {
    }

    /**
     * The requests of {@code iso send --count COUNT --connections CONNECTIONS}, by terminal, from the
     * CLI's own seeded generator: each terminal's {@link SendFleet#terminalRandom} drawn through
     * {@link Requests#purchase} as many times as its {@link SendFleet#share}.
     */
    static List<List<Card>> fleet(int count, int connections) {
        List<List<Card>> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Random random = SendFleet.terminalRandom(i);
            List<Card> cards = new ArrayList<>();
            for (long k = 0; k < SendFleet.share(count, connections, i); k++) {
                IsoMessage m = Requests.purchase("000001", "000000000001", "T0000001", random);
                cards.add(new Card((String) m.get(2), Long.parseLong((String) m.get(4))));
            }
            all.add(cards);
        }
        return all;
    }

    @Test
    void everyAuthorisationIsAnsweredAsTheIssuerRulesSayAndNothingIsLeftRunning() throws Exception {
        List<List<Card>> fleet = fleet(COUNT, CONNECTIONS);
        // Block three cards that will be presented: one small amount, one above the limit (05 wins), one more.
        Card aboveLimit = fleet.stream().flatMap(List::stream).filter(c -> c.amount() > LIMIT).findFirst().orElseThrow();
        Set<String> blocked = new LinkedHashSet<>(List.of(fleet.get(0).get(0).pan(), aboveLimit.pan(), fleet.get(17).get(5).pan()));
        Map<String, Long> expected = new TreeMap<>();
        fleet.stream().flatMap(List::stream).forEach(c -> expected.merge(
                blocked.contains(c.pan()) ? "05" : c.amount() > LIMIT ? "51" : "00", 1L, Long::sum));
        assertEquals(3, expected.get("05"), "the three blocked cards each appear once");

        List<String> ports = freePorts(7);
        List<String> args = new ArrayList<>(List.of("demo", "--count", Integer.toString(COUNT), "--connections",
                Integer.toString(CONNECTIONS), "--data", data.toString(), "--limit", Long.toString(LIMIT),
                "--block", String.join(",", blocked), "--nats-port", ports.get(0), "--issuer-port", ports.get(1),
                "--iso-port", ports.get(2), "--edge-console-port", ports.get(3), "--core-console-port", ports.get(4),
                "--mixer-snake-port", ports.get(5), "--mixer-api-port", ports.get(6)));
        Supervisor.Result run = Fluxrig.run(new byte[0], Duration.ofMinutes(8), args.toArray(String[]::new));
        String all = run.out() + "\n" + run.stderr();
        assertEquals(0, run.exit(), all);

        Matcher m = SUMMARY.matcher(run.out());
        assertTrue(m.find(), all);
        assertEquals(COUNT, Long.parseLong(m.group(1)), "sent: " + all);
        assertEquals(COUNT, Long.parseLong(m.group(2)), "answered: " + all);
        assertEquals(expected.get("00"), Long.parseLong(m.group(3)), "approved: " + all);
        assertEquals(Map.of("05", expected.get("05"), "51", expected.get("51")), codes(m.group(5)), "declined by code: " + all);
        for (int g = 6; g <= 9; g++) {
            assertEquals(0, Long.parseLong(m.group(g)), "timed-out, mismatched, late, lost must be 0: " + all);
        }
        // The issuer decided each request exactly once, with the same outcome the terminals saw.
        String decisions = expected.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .reduce((a, b) -> a + " " + b).orElseThrow();
        assertTrue(run.out().contains("fluxrig issuer stopped: decisions " + decisions + ", bad requests 0"), all);
        assertTrue(run.out().contains("demo OK: all " + COUNT + " requests answered"), all);
        assertTrue(run.out().contains("edge rack console: http://127.0.0.1:" + ports.get(3) + "/system/console/fluxrig"), all);
        assertTrue(run.out().contains("core rack console: http://127.0.0.1:" + ports.get(4) + "/system/console/fluxrig"), all);
        assertTrue(run.out().contains("mixer console:     https://127.0.0.1:" + ports.get(6) + "/system/console/racks"), all);
        assertDeployedThroughTheMixer(run.stderr());

        // Console credentials: one generated password per demo data folder, kept 0600; the terminal shows only the file.
        Path creds = data.resolve("console.txt");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(creds)));
        String password = Files.readAllLines(creds).stream().filter(l -> l.startsWith("password=")).findFirst().orElseThrow().substring(9);
        assertTrue(password.length() >= 16, "a generated password of 16 hex digits or more");
        assertTrue(run.out().contains("console user: demo  (password in " + creds + ", mode 0600)"), all);
        assertFalse(all.contains(password), "the password is never printed: " + all);
        assertNothingLeft(ports);

        // --keep leaves everything up; the next run stops it first (PIDs recorded) and works.
        List<String> small = new ArrayList<>(args);
        small.set(small.indexOf("--count") + 1, "100");
        small.set(small.indexOf("--connections") + 1, "5");
        List<String> keep = new ArrayList<>(small);
        keep.add("--keep");
        Supervisor.Result kept = Fluxrig.run(new byte[0], Duration.ofMinutes(4), keep.toArray(String[]::new));
        assertEquals(0, kept.exit(), kept.out() + kept.stderr());
        assertFalse(demoProcesses().isEmpty(), "--keep left the demo running");
        // While it runs: no token, password, hash, key or seed of the demo in any process's arguments or any log.
        DemoSecrets.assertNoneInCommandLinesOrLogs(data, kept.out() + "\n" + kept.stderr());
        Supervisor.Result again = Fluxrig.run(new byte[0], Duration.ofMinutes(4), small.toArray(String[]::new));
        String againAll = again.out() + again.stderr();
        assertEquals(0, again.exit(), againAll);
        assertTrue(again.stderr().contains("demo: stopping edge"), "the kept run's processes were stopped first: " + againAll);
        assertTrue(again.out().contains("sent 100  answered 100"), againAll);
        assertNothingLeft(ports);
    }

    /**
     * The racks started without gear bundles (rack-base.jar), pinning the demo's publisher key, and
     * one signed rollout per role took each rack's gear bundles and patch out: the rollouts ended
     * done, each rack's release ledger holds the signed releases, and what the racks run came from
     * them. The publisher's private key is in the demo's release folder and nowhere in the Mixer's.
     */
    private void assertDeployedThroughTheMixer(String stderr) throws IOException {
        Map<String, List<String>> wanted = Map.of("core", List.of("gear.basic", "gear.json"),
                "edge", List.of("gear.basic", "gear.iso8583", "gear.json"));
        Path key = data.resolve("release/publisher.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String publicKey = Files.readString(data.resolve("release/publisher.pub")).strip();
        String privateKey = Files.readString(key);
        try (var mixerFiles = Files.walk(data.resolve("mixer"))) {
            for (Path f : mixerFiles.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(privateKey.strip()),
                        "the publisher's private key is not in the Mixer's folder: " + f);
            }
        }
        for (var rack : wanted.entrySet()) {
            String name = rack.getKey();
            Matcher rollout = Pattern.compile("demo: rollout ([0-9a-f]{16}) to role=" + name + ": (.*)\\n").matcher(stderr);
            assertTrue(rollout.find(), "one rollout to role=" + name + ": " + stderr);
            String id = rollout.group(1);
            assertTrue(stderr.contains("demo: rollout " + id + " (role=" + name + "): " + name + " deploying: "), stderr);
            assertTrue(stderr.contains("demo: rollout " + id + " (role=" + name + "): " + name + " done: "), stderr);
            assertTrue(stderr.contains("demo: rollout " + id + " (role=" + name + "): done: 1 rack(s) done, 0 failed"), stderr);
            assertTrue(Files.readString(data.resolve("racks/" + name + "/etc/io.fluxrig.rack.snake.cfg")).contains(publicKey),
                    name + " pins the publisher key");
            String ledger = Files.readString(data.resolve("racks/" + name + "/snake/releases.json"));
            for (String gear : rack.getValue()) {
                assertTrue(rollout.group(2).contains(gear + "-"), name + "'s rollout carries " + gear + ": " + rollout.group(2));
                Path placed = data.resolve("racks/" + name + "/gears/io.fluxrig." + gear + ".jar");
                assertTrue(Files.isRegularFile(placed), gear + " was placed in " + name + "'s gears folder");
                assertTrue(ledger.contains("io.fluxrig." + gear), name + " installed " + gear + " as a signed release: " + ledger);
                try (var signed = Files.list(data.resolve("release"))) {
                    assertTrue(signed.anyMatch(f -> f.getFileName().toString().matches(Pattern.quote(gear) + "-.+\\.jar\\.sig")),
                            gear + " was signed in the demo's release folder");
                }
            }
            assertEquals(Files.readString(data.resolve("patches/" + name + ".yaml")),
                    Files.readString(data.resolve("racks/" + name + "/patch.yaml")), name + " runs the patch the rollout sent");
            assertTrue(ledger.contains("\"" + name + "\""), name + "'s patch was a signed release: " + ledger);
            assertTrue(Files.isRegularFile(data.resolve("racks/" + name + "/snake/rack.crt")), name + " enrolled with the Mixer");
        }
        assertFalse(Pattern.compile("demo: rollout [0-9a-f]{16} to role=core: [^\\n]*gear\\.iso8583").matcher(stderr).find(),
                "core needs no ISO 8583 gears");
    }

    private void assertNothingLeft(List<String> ports) throws IOException {
        assertEquals(List.of(), demoProcesses(), "no demo process may be left running");
        assertFalse(Files.exists(data.resolve("pids")));
        for (String p : ports) {
            try (ServerSocket s = new ServerSocket(Integer.parseInt(p), 50, InetAddress.getLoopbackAddress())) {
                assertTrue(s.isBound());
            }
        }
    }

    /** Processes whose command line names this test's data folder (nats-server, racks, issuer). */
    private List<String> demoProcesses() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .filter(c -> c.contains(data.toString())).toList();
    }

    private static Map<String, Long> codes(String text) {
        Map<String, Long> m = new TreeMap<>();
        for (String kv : text.trim().split(" ")) {
            if (!kv.isEmpty()) {
                m.put(kv.substring(0, kv.indexOf(':')), Long.parseLong(kv.substring(kv.indexOf(':') + 1)));
            }
        }
        return m;
    }

    private static List<String> freePorts(int n) throws IOException {
        Set<String> ports = new LinkedHashSet<>();
        while (ports.size() < n) {
            ports.add(Integer.toString(Fluxrig.freePort()));
        }
        return List.copyOf(ports);
    }
}
