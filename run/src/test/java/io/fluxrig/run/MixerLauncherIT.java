package io.fluxrig.run;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Readiness;
import io.fluxrig.cli.launch.Supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mixer's operator flow through the launcher, as an operator types it: a real nats-server, the
 * Mixer from {@code run/fluxrig mixer}, an enrolment token from {@code run/fluxrig token}, the token
 * as an argument refused, a rack from the printed command (the token typed at its prompt),
 * {@code run/fluxrig racks}, a reused token refused, a Mixer restart
 * (SIGTERM, clean stop, same data) the rack survives with its stored certificate, and
 * {@code run/fluxrig racks revoke} which the rack logs while it keeps running.
 *
 * <p>Waits are bounded deadlines for something to happen; nothing asserts how long it took.
 */
class MixerLauncherIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration CLI = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void rackEnrolsIsListedSurvivesAMixerRestartAndIsRevoked() throws Exception {
        Path mixerData = tmp.resolve("mixer");
        Path rackData = tmp.resolve("edge1");
        Path thiefData = tmp.resolve("edge1-copy");
        int snake = Fluxrig.freePort();
        int api = Fluxrig.freePort();
        String[] mixerArgs;
        try (NatsServer nats = NatsServer.started(); Supervisor processes = Fluxrig.processes()) {
            mixerArgs = new String[] {"mixer", "--data", mixerData.toString(), "--nats", nats.url(), "--nats-creds", nats.creds(Role.MIXER).toString(), "--nats-ca", nats.caFile().toString(),
                "--snake-port", Integer.toString(snake), "--api-port", Integer.toString(api),
                "--console-port", Integer.toString(Fluxrig.freePort())};
            Child mixer = Fluxrig.start(processes, mixerArgs);
            // 1. The Mixer is ready and shows the operator API token once.
            mixer.awaitReady(Readiness.file(mixerData.resolve("mixer.ready")), START);
            String ready = printed(mixer, "fluxrig mixer ready");
            assertTrue(ready.contains("api https://127.0.0.1:" + api) && ready.contains(":" + snake), ready);
            String operatorToken = Fluxrig.operatorToken(mixerData, mixer);
            Operator operator = new Operator("https://127.0.0.1:" + api, operatorToken, mixerData);

            // 2. An enrolment token for edge1, with the exact command to start the rack: it asks for the token.
            Supervisor.Result minted = operator.run("token", "--rack", "edge1", "--ttl", "10m", "--show");
            assertEquals(0, minted.exit(), minted.stderr());
            Matcher shown = Pattern.compile("(?m)^token: +(\\S+)$").matcher(minted.out());
            assertTrue(shown.find(), minted.out());
            String token = shown.group(1);
            Matcher cmd = Pattern.compile("(run/fluxrig rack --name edge1 --mixer \\S+ --token --ca-hash (\\S+))$", Pattern.MULTILINE)
                    .matcher(minted.out());
            assertTrue(cmd.find(), minted.out());
            assertFalse(cmd.group(1).contains(token), "the rack command holds no token: " + cmd.group(1));
            String caHash = cmd.group(2);
            assertEquals(sha256(mixerData.resolve("ca.crt")), caHash, "the printed hash pins the Mixer CA");

            // 2b. The token as an argument (it would sit in ps and the shell's history): refused before anything starts.
            Supervisor.Result argument = Fluxrig.run(new byte[0], CLI, "rack", "--name", "edge1", "--data", thiefData.toString(),
                    "--mixer", "127.0.0.1:" + snake, "--token", token, "--ca-hash", caHash);
            assertEquals(2, argument.exit(), argument.out() + argument.stderr());
            assertTrue(argument.stderr().contains("--token takes no value") && argument.stderr().contains("--token-file -")
                    && !argument.stderr().contains(token), argument.stderr());
            assertFalse(Files.exists(thiefData), "nothing prepared, nothing started");

            // 3. The rack from that command (the Snake at 127.0.0.1, a fast heartbeat), the token typed at its prompt
            //    (standard input from a 0600 file here: no terminal, so the prompt reads its first line).
            Path typed = Files.createFile(tmp.resolve("typed"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(typed, token + "\n");
            String[] rackArgs = {"rack", "--name", "edge1", "--data", rackData.toString(),
                "--console-port", Integer.toString(Fluxrig.freePort()), "--mixer", "127.0.0.1:" + snake,
                "--token", "--ca-hash", caHash, "--heartbeat-ms", "500"};
            Child rack = Fluxrig.startReading(processes, typed, rackArgs);
            rack.awaitReady(Readiness.file(rackData.resolve("rack.ready")), START);
            // 4. run/fluxrig racks lists it online; it said so.
            operator.awaitState("edge1", "online");
            assertTrue(rack.output().contains("rack edge1 enrolled with the Mixer at 127.0.0.1:" + snake), rack.output());
            assertTrue(rack.output().contains("enrolment token for rack edge1: reading one line of standard input")
                    && !rack.output().contains(token), "asked for, never echoed: " + rack.output());
            assertTrue(Files.exists(rackData.resolve("snake/rack.crt")), "certificate stored");
            String enrolledAt = operator.info("edge1").path("firstSeen").asText();

            // 5. The same token a second time (another rack data folder): refused, with the reason.
            String[] thiefArgs = rackArgs.clone();
            thiefArgs[4] = thiefData.toString();
            thiefArgs[6] = Integer.toString(Fluxrig.freePort());
            {
                Child thief = Fluxrig.startReading(processes, typed, thiefArgs);
                String refused = thief.awaitLine(l -> l.contains("token already used"), START);
                assertTrue(refused.contains("the Mixer refused enrolment (401)"), refused);
                assertFalse(Files.exists(thiefData.resolve("snake/rack.crt")), "no certificate for a used token");
                Fluxrig.terminated(thief, STOP);
            }
            assertTrue(mixer.output().contains("enrolment refused: token already used"), mixer.output());
            operator.awaitState("edge1", "online"); // the enrolled rack is not disturbed

            // 5b. The Mixer's metrics: its Prometheus endpoint, behind the bearer token of <data>/metrics.token.
            MixerMetricsScrape scrape = new MixerMetricsScrape("https://127.0.0.1:" + api, mixerData);
            assertEquals(401, scrape.get(null).statusCode(), "no token, no metrics");
            assertEquals(401, scrape.get(operatorToken).statusCode(), "the operator token is not the metrics token");
            String metricsToken = Files.readString(mixerData.resolve("metrics.token")).strip();
            String text = Await.until("two heartbeats of edge1 timed by the Mixer's metrics", () -> {
                HttpResponse<String> r = scrape.get(metricsToken);
                assertEquals(200, r.statusCode(), r.body());
                return r.body();
            }, t -> t.contains("fluxrig_mixer_heartbeat_duration_seconds_count")
                    && MixerMetricsScrape.sample(t, "fluxrig_mixer_heartbeat_duration_seconds_count", null) >= 2, START);
            assertEquals(1, MixerMetricsScrape.sample(text, "fluxrig_mixer_racks", "fluxrig_rack_state=\"online\""), text);
            assertEquals(0, MixerMetricsScrape.sample(text, "fluxrig_mixer_racks", "fluxrig_rack_state=\"revoked\""), text);
            assertEquals(1, MixerMetricsScrape.sample(text, "fluxrig_mixer_enrolments_total",
                    "fluxrig_enrolment_outcome=\"enrolled\""), text);
            assertEquals(1, MixerMetricsScrape.sample(text, "fluxrig_mixer_enrolments_total",
                    "fluxrig_enrolment_outcome=\"refused\""), "the reused token: " + text);
            // Every accepted heartbeat is counted and timed. A scrape reads the two instruments one after
            // the other, and edge1's next heartbeat may land between the two reads: at most one apart.
            double accepted = MixerMetricsScrape.sample(text, "fluxrig_mixer_heartbeats_total", null);
            double timed = MixerMetricsScrape.sample(text, "fluxrig_mixer_heartbeat_duration_seconds_count", null);
            assertTrue(Math.abs(accepted - timed) <= 1, "accepted " + accepted + ", timed " + timed + ": " + text);
            assertTrue(MixerMetricsScrape.sample(text, "fluxrig_mixer_snake_connections", null) >= 1, text);
            assertEquals(0, MixerMetricsScrape.sample(text, "fluxrig_mixer_commands_queued_total", null), text);
            assertEquals(0, MixerMetricsScrape.sample(text, "fluxrig_mixer_kv_write_errors_total", null), text);
            assertEquals(0, MixerMetricsScrape.sample(text, "fluxrig_mixer_rollouts", "fluxrig_rollout_state=\"running\""), text);
            assertTrue(text.contains("service_name=\"fluxrig-mixer\""), "the Mixer's resource: " + text);
            assertFalse(text.contains("fluxrig_gear_"), text);

            // 6. Mixer restart: SIGTERM stops it cleanly (servers and NATS closed), same data again.
            Fluxrig.terminated(mixer, STOP);
            assertTrue(mixer.output().contains("Mixer closed: API and Snake servers stopped, NATS connection closed"),
                    mixer.output());
            assertTrue(mixer.output().contains("fluxrig mixer stopped"), mixer.output());
            assertFalse(mixer.process().isAlive());

            mixer = Fluxrig.start(processes, mixerArgs);
            mixer.awaitReady(Readiness.file(mixerData.resolve("mixer.ready")), START);
            long restarted = System.currentTimeMillis();
            assertEquals(operatorToken, Fluxrig.operatorToken(mixerData, mixer), "the operator token is made only at first start");
            // A heartbeat reaches the restarted Mixer: the rack reconnected with its stored certificate, no second enrolment.
            Await.until("a heartbeat of edge1 at the restarted Mixer", () -> operator.info("edge1"),
                    r -> "online".equals(r.path("state").asText())
                            && java.time.Instant.parse(r.path("lastSeen").asText("1970-01-01T00:00:00Z")).toEpochMilli() >= restarted,
                    START);
            assertEquals(enrolledAt, operator.info("edge1").path("firstSeen").asText(), "reconnected with the stored certificate");
            Supervisor.Result info = operator.run("rack-info", "edge1");
            assertEquals(0, info.exit(), info.stderr());
            // The inventory names each bundle's archive digest (read from the launcher's jar/ entries).
            assertTrue(Pattern.compile("\"[^\"]*rack\\.runtime[^\"]*\\.jar\"\\s*:\\s*\"sha256:[0-9a-f]{64}\"")
                    .matcher(info.out()).find(), "bundle digests in the inventory: " + info.out());

            // 7. Revoke: the rack logs why and keeps running.
            Supervisor.Result revoked = operator.run("racks", "revoke", "edge1", "--yes");
            assertEquals(0, revoked.exit(), revoked.stderr());
            assertTrue(revoked.out().contains("rack edge1 revoked"), revoked.out());
            operator.awaitState("edge1", "revoked");
            String afterRevoke = scrape.get(metricsToken).body();
            assertEquals(1, MixerMetricsScrape.sample(afterRevoke, "fluxrig_mixer_racks", "fluxrig_rack_state=\"revoked\""),
                    afterRevoke);
            assertEquals(0, MixerMetricsScrape.sample(afterRevoke, "fluxrig_mixer_racks", "fluxrig_rack_state=\"online\""),
                    afterRevoke);
            // What the rack says about it (its command poll may report the refusal first, in a line of its own).
            rack.awaitLine(l -> l.contains("rack 'edge1' is revoked") && l.contains("data flows keep running"), START);
            assertTrue(rack.process().isAlive(), rack.output());
            assertEquals(1, rack.count(l -> l.startsWith("fluxrig rack edge1 ready")), rack.output());
            assertEquals(0, rack.count(l -> l.contains("fluxrig rack edge1 stopped")), rack.output());
            int console = Integer.parseInt(rackArgs[6]);
            HttpResponse<Void> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + console + "/system/console")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(401, page.statusCode(), "the revoked rack still serves its console");

            // 8. The operator token rotated through the API from a machine with only a copy of it
            //    (and the CA): the copy is replaced by the new token, the old one is refused at once.
            Path remote = java.nio.file.Files.createDirectories(tmp.resolve("laptop"));
            Path copy = remote.resolve("operator.token");
            Path oldCopy = remote.resolve("old.token");
            Files.copy(mixerData.resolve("operator.token"), copy);
            Files.copy(mixerData.resolve("operator.token"), oldCopy);
            Supervisor.Result rotated = Fluxrig.run(new byte[0], CLI, "operator-token", "rotate", "--api", "https://127.0.0.1:" + api,
                    "--ca", mixerData.resolve("ca.crt").toString(), "--api-token-file", copy.toString(), "--json");
            assertEquals(0, rotated.exit(), rotated.stderr());
            String fresh = Files.readString(copy).strip();
            assertTrue(fresh.startsWith("frm_") && !fresh.equals(operatorToken) && !rotated.out().contains(fresh), rotated.out());
            assertTrue(rotated.out().contains(copy.toString()), rotated.out());
            Supervisor.Result stale = Fluxrig.run(new byte[0], CLI, "racks", "--api", "https://127.0.0.1:" + api,
                    "--ca", mixerData.resolve("ca.crt").toString(), "--api-token-file", oldCopy.toString());
            assertTrue(stale.exit() != 0 && stale.stderr().contains("a valid operator bearer token is required"), stale.out() + stale.stderr());
            assertEquals(0, Fluxrig.run(new byte[0], CLI, "racks", "--api", "https://127.0.0.1:" + api,
                    "--ca", mixerData.resolve("ca.crt").toString(), "--api-token-file", copy.toString()).exit(), "the new token works");
            assertEquals(fresh, Files.readString(mixerData.resolve("operator.token")).strip(), "the Mixer's own token file follows");

            // 9. Everything stops.
            Fluxrig.terminated(rack, STOP);
            assertTrue(rack.output().contains("fluxrig rack edge1 stopped"), rack.output());
            Fluxrig.terminated(mixer, STOP);
            assertTrue(mixer.output().contains("fluxrig mixer stopped"), mixer.output());
        }
    }

    /** @return the line the process printed that starts with the text (it was printed before its readiness file) */
    private static String printed(Child c, String start) {
        return c.lines().stream().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + start + "...'; output:\n" + c.output()));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String sha256(Path pem) throws Exception {
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
        return "sha256:" + java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    /** The operator commands, with the API, its token and the Mixer data folder (for ca.crt). */
    private record Operator(String api, String token, Path data) {
        Supervisor.Result run(String... command) throws Exception {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--api", api, "--api-token-file", data.resolve("operator.token").toString(), "--data", data.toString()));
            return Fluxrig.run(new byte[0], CLI, args.toArray(String[]::new));
        }

        /** @return {@code rack-info RACK --json}: the registry record */
        JsonNode info(String rack) throws Exception {
            Supervisor.Result r = run("rack-info", rack, "--json");
            assertEquals(0, r.exit(), r.stderr());
            return JSON.readTree(r.out());
        }

        /** Runs {@code racks} until the rack's row shows the state. */
        void awaitState(String rack, String state) throws Exception {
            Await.until("run/fluxrig racks --json to show " + rack + " " + state, () -> {
                Supervisor.Result r = run("racks", "--json");
                assertEquals(0, r.exit(), r.stderr());
                return JSON.readTree(r.out());
            }, racks -> {
                for (JsonNode r : racks.path("racks")) { // {"total","counts","racks":[...],"next"}
                    if (rack.equals(r.path("name").asText()) && state.equals(r.path("state").asText())) {
                        return true;
                    }
                }
                return false;
            }, START);
        }
    }
}
