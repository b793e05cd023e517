package io.fluxrig.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Readiness;
import io.fluxrig.cli.launch.Supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployment through the Mixer, as an operator does it: a real nats-server, {@code run/fluxrig mixer},
 * a base rack ({@code run/fluxrig rack --base}: no gear bundles) enrolled with a token, and
 * {@code run/fluxrig deploy}. Bad artifacts are refused with their reason and leave the rack as it
 * was (a bundle that would not resolve is refused by the rack's pre-flight before anything is written); a good bundle and patch run, show in the rack's inventory at the Mixer, and survive a rack
 * restart without the Mixer.
 */
class MixerDeployIT {
    /** What the gears folder holds besides deployed jars: the wire's and the Snake's configuration. */
    /** What the test put into gears/ besides bundles (a gear configuration dropped there keeps working). */
    private static final List<String> CONFIGS = List.of("fluxrig.wire.jetstream.cfg");
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration CLI = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void badArtifactsAreRefusedAndAGoodBundleAndPatchRunAndSurviveARestart() throws Exception {
        Path mixerData = tmp.resolve("mixer");
        Path rackData = tmp.resolve("lab");
        int snake = Fluxrig.freePort();
        int api = Fluxrig.freePort();
        try (NatsServer nats = NatsServer.started(); Supervisor processes = Fluxrig.processes()) {
            Child mixer = Fluxrig.start(processes, "mixer", "--data", mixerData.toString(), "--nats", nats.url(), "--nats-creds", nats.creds(Role.MIXER).toString(), "--nats-ca", nats.caFile().toString(),
                    "--nats-trust", nats.trust().dir().toString(),
                    "--snake-port", Integer.toString(snake), "--api-port", Integer.toString(api));
            mixer.awaitReady(Readiness.file(mixerData.resolve("mixer.ready")), START);
            String operatorToken = Fluxrig.operatorToken(mixerData, mixer);
            List<String> api0 = List.of("--api", "https://127.0.0.1:" + api, "--api-token-file", mixerData.resolve("operator.token").toString(), "--data",
                    mixerData.toString());

            Path tokenFile = tmp.resolve("lab-token.json");
            Supervisor.Result minted = cli(api0, "token", "--rack", "lab", "--ttl", "10m", "--token-file", tokenFile.toString(), "--json");
            assertEquals(0, minted.exit(), minted.stderr());
            assertFalse(JSON.readTree(minted.out()).has("token"), "the token is in its file only: " + minted.out());

            // A base rack: its wire transport on the test's NATS with the credential the Mixer issues at
            // enrolment (no shared one), nothing else installed.
            Files.createDirectories(rackData.resolve("gears"));
            Path rackCreds = rackData.resolve("snake/nats.creds");
            Files.writeString(rackData.resolve("gears/fluxrig.wire.jetstream.cfg"), "servers=" + nats.url() + "\ntls.ca.file=" + nats.caFile() + "\ncredentials.file="
                    + rackCreds + "\n");
            String[] rackArgs = {"rack", "--base", "--name", "lab", "--data", rackData.toString(), "--console-port",
                Integer.toString(Fluxrig.freePort()), "--mixer", "127.0.0.1:" + snake, "--token-file", tokenFile.toString(),
                "--heartbeat-ms", "500"};
            Child rack = Fluxrig.start(processes, rackArgs);
            rack.awaitReady(Readiness.file(rackData.resolve("rack.ready")), START);
            // Enrolled and online at the Mixer, its wire transport connected: what its heartbeat reports.
            // The wire transport authenticates with the credential the Mixer issued (NATS refuses anonymous clients).
            JsonNode enrolled = awaitInfo(api0, "lab online with its wire transport connected",
                    r -> "online".equals(r.path("state").asText()) && r.findValue("wireTransport") != null
                            && r.findValue("wireTransport").path("connected").asBoolean());
            assertTrue(Files.isRegularFile(rackData.resolve("etc/io.fluxrig.rack.snake.cfg")), "the Snake's settings are in etc/");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(rackCreds)));

            // 1. Not a bundle (a zip without a manifest): refused, nothing placed.
            Path notABundle = tmp.resolve("notes.jar");
            try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(notABundle))) {
                z.putNextEntry(new ZipEntry("README.txt"));
                z.write("not a bundle".getBytes());
            }
            Supervisor.Result refused = cli(api0, "deploy", "lab", "--bundle", notABundle.toString());
            assertNotEquals(0, refused.exit(), refused.out() + refused.stderr());
            String refusedText = refused.out() + refused.stderr();
            assertTrue(Pattern.compile("lab: install-bundle notes\\.jar \\(sha256:[0-9a-f]{12}\\): refused: notes\\.jar "
                    + "sha256:[0-9a-f]+\\.\\. is not an OSGi bundle: the jar has no manifest").matcher(refusedText).find(), refusedText);
            try (var gears = Files.list(rackData.resolve("gears"))) {
                assertEquals(CONFIGS, gears.map(p -> p.getFileName().toString()).sorted().toList(),
                        "nothing placed for a refused artifact");
            }

            // 2. A bundle whose import nobody exports: the rack's pre-flight (its framework's resolver)
            //    refuses it before anything is written, naming the missing package; --dry-run asks
            //    the same question without an install.
            Path broken = bundle("test.broken", "io.fluxrig.nothing.here");
            String missing = "lab: (install|preflight)-bundle test\\.broken\\.jar \\(sha256:[0-9a-f]{12}\\): refused: preflight: "
                    + "test\\.broken 1\\.0\\.0 would not resolve on this rack, 1 requirement\\(s\\) missing; nothing was installed\\R"
                    + "  - osgi\\.wiring\\.package \\(osgi\\.wiring\\.package=io\\.fluxrig\\.nothing\\.here\\)";
            Supervisor.Result dryRun = cli(api0, "deploy", "lab", "--dry-run", "--bundle", broken.toString());
            assertNotEquals(0, dryRun.exit(), dryRun.out() + dryRun.stderr());
            assertTrue(Pattern.compile(missing).matcher(dryRun.out()).find(), dryRun.out() + dryRun.stderr());
            Supervisor.Result failed = cli(api0, "deploy", "lab", "--bundle", broken.toString());
            String failedText = failed.out() + failed.stderr();
            assertNotEquals(0, failed.exit(), failedText);
            assertTrue(Pattern.compile(missing).matcher(failedText).find(), failedText);
            try (var gears = Files.list(rackData.resolve("gears"))) {
                assertEquals(CONFIGS, gears.map(p -> p.getFileName().toString()).sorted().toList(),
                        "nothing placed for a bundle that would not resolve");
            }

            // 3. A patch naming a gear type this rack does not have: refused, not written.
            Path patch = tmp.resolve("lab.yaml");
            Files.writeString(patch, """
                    gears:
                      tick: { type: timer, config: { interval.ms: 200, text: deployed-by-mixer } }
                      out: log
                    links:
                      - tick.out -> out.in
                      - tick.out -> nowhere.in
                    """);
            Supervisor.Result badPatch = cli(api0, "deploy", "lab", "--patch", patch.toString());
            String badPatchText = badPatch.out() + badPatch.stderr();
            assertNotEquals(0, badPatch.exit(), badPatchText);
            assertTrue(badPatchText.contains("lab: apply-patch lab.yaml (sha256:") && badPatchText.contains("nowhere"),
                    badPatchText);
            assertFalse(Files.exists(rackData.resolve("patch.yaml")), "a refused patch is not written");
            assertTrue(rack.process().isAlive(), rack.output());

            // 4. The real thing: gear.basic, then a timer -> log patch.
            Files.writeString(patch, Files.readString(patch).replace("  - tick.out -> nowhere.in\n", ""));
            Path basic = gearJar("gear.basic");
            Supervisor.Result preflight = cli(api0, "deploy", "lab", "--dry-run", "--bundle", basic.toString());
            assertEquals(0, preflight.exit(), preflight.out() + preflight.stderr());
            assertTrue(Pattern.compile("lab: preflight-bundle gear\\.basic-.*: done: preflight: io\\.fluxrig\\.gear\\.basic .* resolves "
                    + "on this rack \\(unsigned: development mode\\); nothing was installed").matcher(preflight.out()).find(), preflight.out());
            Supervisor.Result done = cli(api0, "deploy", "lab", "--bundle", basic.toString(), "--patch", patch.toString());
            String doneText = done.out() + done.stderr();
            assertEquals(0, done.exit(), doneText);
            assertTrue(doneText.contains("lab: install-bundle " + basic.getFileName() + " (sha256:"), doneText);
            assertTrue(Pattern.compile("lab: apply-patch lab\\.yaml \\(sha256:[0-9a-f]+\\): done").matcher(doneText).find(),
                    doneText);
            assertEquals(Files.readString(patch), Files.readString(rackData.resolve("patch.yaml")));

            // The Mixer's inventory of the rack lists the deployed bundle with the jar's digest, and the
            // patch running: the log gear has taken messages from the timer.
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(basic)));
            awaitInfo(api0, "the inventory to list " + digest + " and the log gear to take messages",
                    r -> r.toString().contains(digest) && gearIn(r, "out") >= 1);

            // 5. A restart without the Mixer's help: the deployed bundle and patch are the rack's own now.
            Fluxrig.terminated(rack, Duration.ofSeconds(30));
            Instant stopped = Instant.now();
            Child again = Fluxrig.start(processes, rackArgs);
            again.awaitReady(Readiness.file(rackData.resolve("rack.ready")), START);
            // A heartbeat from the restarted rack (seen after the first one ended) whose log gear takes messages again.
            JsonNode restarted = awaitInfo(api0, "a heartbeat of the restarted rack with its patch running",
                    r -> Instant.parse(r.path("lastSeen").asText("1970-01-01T00:00:00Z")).isAfter(stopped) && gearIn(r, "out") >= 1);
            assertEquals(enrolled.path("firstSeen").asText(), restarted.path("firstSeen").asText(), "no second enrolment");

            // 6. Everything stops cleanly.
            Fluxrig.terminated(again, Duration.ofSeconds(30));
            Fluxrig.terminated(mixer, Duration.ofSeconds(30));
        }
    }

    private static Supervisor.Result cli(List<String> apiOptions, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(apiOptions);
        return Fluxrig.run(new byte[0], CLI, args.toArray(String[]::new));
    }

    /** Runs {@code rack-info lab --json} until its record matches; @return that record */
    private static JsonNode awaitInfo(List<String> apiOptions, String what, java.util.function.Predicate<JsonNode> match)
            throws Exception {
        return Await.until(what, () -> {
            Supervisor.Result info = cli(apiOptions, "rack-info", "lab", "--json");
            assertEquals(0, info.exit(), info.stderr());
            return JSON.readTree(info.out());
        }, match, START);
    }

    /** @return the messages gear instance NAME took in, as the rack's last inventory reports it (-1: not listed) */
    private static long gearIn(JsonNode record, String name) {
        JsonNode inventory = record.path("inventory");
        for (JsonNode g : inventory.path("gears")) {
            if (name.equals(g.path("name").asText())) {
                return g.path("in").asLong(-1);
            }
        }
        return -1;
    }

    /** A minimal bundle importing a package nobody exports. */
    private Path bundle(String bsn, String missingImport) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", missingImport);
        Path jar = tmp.resolve(bsn + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new ZipEntry("readme.txt"));
            j.write("test".getBytes());
        }
        return jar;
    }

    private static Path gearJar(String module) throws IOException {
        try (var files = Files.list(Fluxrig.ROOT.resolve(module).resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().matches(Pattern.quote(module) + "-[0-9].*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("-sources") && !p.getFileName().toString().contains("-tests"))
                    .findFirst().orElseThrow(() -> new AssertionError(module + " is not built"));
        }
    }
}
