package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed releases end to end: a real nats-server, {@code run/fluxrig mixer}, a base rack, publisher
 * keys from {@code run/fluxrig release keygen}, signatures from {@code release sign}, and
 * {@code deploy}. A rack in development mode says so in its inventory; once it pins a key, the
 * Mixer can no longer install anything the publisher did not sign: unsigned, signed by another key,
 * a statement edited after signing, expired, and a replayed release are refused with the
 * field and the reason, nothing reaches {@code gears/}, and the rack keeps running and installs the
 * good release.
 */
class SignedReleaseIT {
    private static final Duration START = Duration.ofMinutes(3); // a hang guard: Mixer start-up on a loaded machine
    private static final Duration CLI = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    @Test
    void aRackWithPinnedKeysInstallsOnlyGoodSignedReleases() throws Exception {
        Path mixerData = tmp.resolve("mixer");
        Path rackData = tmp.resolve("lab");
        int snake = Fluxrig.freePort();
        int api = Fluxrig.freePort();
        try (NatsServer nats = NatsServer.started(); Supervisor processes = Fluxrig.processes()) {
            Child mixer = Fluxrig.start(processes, "mixer", "--data", mixerData.toString(), "--nats", nats.url(), "--nats-creds",
                    nats.creds(Role.MIXER).toString(), "--nats-ca", nats.caFile().toString(), "--nats-trust", nats.trust().dir().toString(),
                    "--snake-port", Integer.toString(snake), "--api-port", Integer.toString(api));
            Fluxrig.awaitReadyFile(mixer, mixerData.resolve("mixer.ready"), START);
            Fluxrig.operatorToken(mixerData, mixer); // written, and 0600
            List<String> api0 = List.of("--api", "https://127.0.0.1:" + api, "--api-token-file",
                    mixerData.resolve("operator.token").toString(), "--data", mixerData.toString());
            Path tokenFile = tmp.resolve("lab.token");
            Supervisor.Result minted = cli(api0, "token", "--rack", "lab", "--ttl", "10m", "--token-file", tokenFile.toString());
            assertEquals(0, minted.exit(), minted.stderr());

            // Keys: the publisher's, and another one the rack never pins.
            Supervisor.Result keygen = Fluxrig.run(new byte[0], CLI, "release", "keygen", "--out", tmp.resolve("acme").toString());
            assertEquals(0, keygen.exit(), keygen.stderr());
            assertEquals(0, Fluxrig.run(new byte[0], CLI, "release", "keygen", "--out", tmp.resolve("other").toString()).exit());
            String publisherKey = Files.readString(tmp.resolve("acme.pub")).strip();

            Files.createDirectories(rackData.resolve("gears"));
            Files.writeString(rackData.resolve("gears/fluxrig.wire.jetstream.cfg"), "servers=" + nats.url() + "\ntls.ca.file=" + nats.caFile() + "\ncredentials.file="
                    + rackData.resolve("snake/nats.creds") + "\n"); // the NATS credential the Mixer issues at enrolment
            Child rack = Fluxrig.start(processes, "rack", "--base", "--name", "lab", "--data", rackData.toString(), "--console-port",
                    Integer.toString(Fluxrig.freePort()), "--mixer", "127.0.0.1:" + snake, "--token-file",
                    tokenFile.toString(), "--heartbeat-ms", "500");
            Fluxrig.awaitOnline("lab", api0, START);
            awaitInfo(api0, "\"mode\": \"development\"");

            // Pin the publisher's key in the Snake's configuration file (FileInstall hands it over; the Snake restarts with it).
            Path snakeCfg = rackData.resolve("etc/io.fluxrig.rack.snake.cfg");
            Files.writeString(snakeCfg, Files.readString(snakeCfg) + "publisher.keys=" + publisherKey + "\n");
            awaitInfo(api0, "\"mode\": \"pinned\"");
            List<String> gearsBefore = gears(rackData);

            Path basic = tmp.resolve("gear.basic.jar");
            Files.copy(gearJar("gear.basic"), basic);

            // 1. Unsigned.
            assertRefused(cli(api0, "deploy", "lab", "--bundle", basic.toString()), "args.release: missing: this rack pins 1 publisher key(s)");

            // 2. Signed by a key the rack does not pin.
            assertEquals(0, sign(basic, "other", "--sequence", "10").exit());
            assertRefused(cli(api0, "deploy", "lab", "--bundle", basic.toString()), "release.key: 'ed25519:");

            // 3. The publisher's signature over a statement edited afterwards (sequence raised).
            assertEquals(0, sign(basic, "acme", "--sequence", "10").exit());
            Path sig = Path.of(basic + ".sig");
            String genuine = Files.readString(sig);
            Files.writeString(sig, genuine.replace("\"sequence\":10", "\"sequence\":99"));
            assertRefused(cli(api0, "deploy", "lab", "--bundle", basic.toString()), "release.signature: does not verify");

            // 4. Expired.
            assertEquals(0, sign(basic, "acme", "--sequence", "10", "--not-after", "2020-01-01T00:00:00Z").exit());
            assertRefused(cli(api0, "deploy", "lab", "--bundle", basic.toString()), "release.not-after: the statement expired at 2020-01-01T00:00:00Z");
            assertEquals(gearsBefore, gears(rackData), "nothing placed in gears/ for a refused release");
            assertTrue(rack.process().isAlive(), rack.output());

            // 5. The good release installs, and says so.
            Files.writeString(sig, genuine);
            Supervisor.Result done = cli(api0, "deploy", "lab", "--bundle", basic.toString());
            assertEquals(0, done.exit(), done.out() + done.stderr());
            assertTrue(done.out().contains("(signed release io.fluxrig.gear.basic "), done.out());
            awaitInfo(api0, "\"sequence\": 10");

            // 6. Replayed: refused (older sequences and signature bit flips: SignedReleaseCommandTest).
            assertRefused(cli(api0, "deploy", "lab", "--bundle", basic.toString()), "release.sequence: 10 is not above 10");

            Fluxrig.terminated(rack, Duration.ofSeconds(30));
            Fluxrig.terminated(mixer, Duration.ofSeconds(30));
        }
    }

    private Supervisor.Result sign(Path file, String key, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("release", "sign", file.toString(), "--key", tmp.resolve(key + ".key").toString()));
        args.addAll(List.of(more));
        return Fluxrig.run(new byte[0], CLI, args.toArray(String[]::new));
    }

    private static void assertRefused(Supervisor.Result r, String reason) {
        String text = r.out() + r.stderr();
        assertNotEquals(0, r.exit(), text);
        assertTrue(text.contains(": refused: ") && text.contains(reason) && text.contains("nothing was installed"), text);
    }

    private static List<String> gears(Path rackData) throws IOException {
        try (var files = Files.list(rackData.resolve("gears"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Supervisor.Result cli(List<String> apiOptions, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(apiOptions);
        return Fluxrig.run(new byte[0], CLI, args.toArray(String[]::new));
    }

    /** Runs {@code rack-info lab} until its output contains the text. */
    private static void awaitInfo(List<String> apiOptions, String text) throws Exception {
        Await.until("the rack's record to show " + text, () -> {
            Supervisor.Result info = cli(apiOptions, "rack-info", "lab");
            assertEquals(0, info.exit(), info.stderr());
            return info.out();
        }, out -> out.contains(text), START, Duration.ofMillis(500));
    }

    private static Path gearJar(String module) throws IOException {
        try (var files = Files.list(Fluxrig.ROOT.resolve(module).resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().matches(Pattern.quote(module) + "-[0-9].*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("-sources") && !p.getFileName().toString().contains("-tests"))
                    .findFirst().orElseThrow(() -> new AssertionError(module + " is not built"));
        }
    }
}
