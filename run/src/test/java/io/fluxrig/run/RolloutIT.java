package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Rollouts end to end with launcher racks: a real nats-server, {@code run/fluxrig mixer}, two base
 * racks labelled {@code role=core} started with {@code run/fluxrig rack --publisher-key}, releases
 * signed with {@code release sign}, and {@code rollout create|status}, {@code rack-info} and
 * {@code commands list} with {@code --json}. A signed release goes to the canary, then the second
 * wave; the next release breaks on the canary (its second bundle does not start) and the rollout
 * rolls back by itself: the canary gets back exactly the release it ran before (the copy it kept;
 * nobody passes the old release again), and the other rack never gets the broken one. Then, in a
 * real chromium on the Mixer's Web Console, a third release is started from the Rollouts page (the
 * file and its signature uploaded), shown wave by wave with each rack's state, paused, resumed and
 * rolled back from the page; a POST with the console's credentials from another origin is refused.
 * Then the same racks through a rig file: {@code plan}, {@code apply} twice (the second does
 * nothing), and a failed {@code apply} whose rollback restores the canary's patch from its snapshot.
 */
class RolloutIT {
    private static final Duration START = Duration.ofMinutes(3); // a hang guard: start-up on a loaded machine
    private static final Duration CLI = Duration.ofMinutes(3);
    /** The pause between two looks through the CLI (each one a process). */
    private static final Duration POLL = Duration.ofMillis(500);
    private static final String BSN = "io.fluxrig.itest.rolled";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aCanaryThenAWaveThenAFailedReleaseRollsBackToWhatEachRackKept() throws Exception {
        Path mixerData = tmp.resolve("mixer");
        int snake = Fluxrig.freePort();
        int api = Fluxrig.freePort();
        try (NatsServer nats = NatsServer.started(); Supervisor processes = Fluxrig.processes()) {
            Child mixer = Fluxrig.start(processes, "mixer", "--data", mixerData.toString(), "--nats", nats.url(), "--nats-creds",
                    nats.creds(Role.MIXER).toString(), "--nats-ca", nats.caFile().toString(), "--nats-trust", nats.trust().dir().toString(),
                    "--snake-port", Integer.toString(snake), "--api-port", Integer.toString(api));
            Fluxrig.awaitReadyFile(mixer, mixerData.resolve("mixer.ready"), START);
            Fluxrig.operatorToken(mixerData, mixer);
            List<String> apiOptions = List.of("--api", "https://127.0.0.1:" + api, "--api-token-file",
                    mixerData.resolve("operator.token").toString(), "--data", mixerData.toString());
            Supervisor.Result keygen = Fluxrig.run(new byte[0], CLI, "release", "keygen", "--out", tmp.resolve("acme").toString());
            assertEquals(0, keygen.exit(), keygen.stderr());

            List<Child> racks = new ArrayList<>();
            for (String name : List.of("core-a", "core-b")) {
                Path tokenFile = tmp.resolve(name + ".token");
                Supervisor.Result minted = cli(apiOptions, "token", "--rack", name, "--labels", "role=core", "--ttl", "10m", "--token-file",
                        tokenFile.toString());
                assertEquals(0, minted.exit(), minted.stderr());
                Path data = tmp.resolve(name);
                Files.createDirectories(data.resolve("gears"));
                Files.writeString(data.resolve("gears/fluxrig.wire.jetstream.cfg"), "servers=" + nats.url() + "\ntls.ca.file=" + nats.caFile() + "\ncredentials.file="
                        + data.resolve("snake/nats.creds") + "\n");
                racks.add(Fluxrig.start(processes, "rack", "--base", "--name", name, "--data", data.toString(), "--console-port",
                        Integer.toString(Fluxrig.freePort()), "--mixer", "127.0.0.1:" + snake, "--token-file",
                        tokenFile.toString(), "--heartbeat-ms", "500", "--publisher-key", tmp.resolve("acme.pub").toString()));
            }
            for (String name : List.of("core-a", "core-b")) {
                await(apiOptions, name, info -> "pinned".equals(info.at("/inventory/releases/mode").asText()), "pins the publisher key");
            }

            // Release 1 (new to both racks): the canary, then the second wave.
            Path v1 = signed(bundle("rolled-1.jar", BSN, "1.0.0", (String) null), 10);
            String release1 = sha256(v1);
            JsonNode first = rollout(apiOptions, "--to", "role=core", "--bundle", v1.toString(), "--waves", "1,100%", "--soak", "1s",
                    "--on-failure", "rollback");
            assertEquals(List.of(1, 2), List.of(first.at("/waveTargets/0").asInt(), first.at("/waveTargets/1").asInt()), first.toString());
            JsonNode done = awaitRollout(apiOptions, first.get("id").asText(), "done");
            assertEquals("done", done.at("/racks/core-a/state").asText(), done.toString());
            assertEquals("done", done.at("/racks/core-b/state").asText(), done.toString());
            for (String name : List.of("core-a", "core-b")) {
                await(apiOptions, name, info -> runs(info, release1), "runs release 1");
            }

            // Release 2 breaks on the canary: its first bundle installs, its second does not start.
            Path v2 = signed(bundle("rolled-2.jar", BSN, "2.0.0", (String) null), 20);
            String release2 = sha256(v2);
            Path broken = signed(bundle("broken.jar", "io.fluxrig.itest.broken", "1.0.0", "io.fluxrig.itest.NoSuchActivator"), 20);
            JsonNode second = rollout(apiOptions, "--to", "role=core", "--bundle", v2.toString(), "--bundle", broken.toString(),
                    "--waves", "1,100%", "--soak", "1s", "--on-failure", "rollback");
            JsonNode back = awaitRollout(apiOptions, second.get("id").asText(), "rolled-back");
            assertEquals("rolled-back", back.at("/racks/core-a/state").asText(), back.toString());
            assertTrue(back.at("/racks/core-a/detail").asText().startsWith("restored: restore-bundle rolled-2.jar: done"),
                    back.toString());
            assertEquals("skipped", back.at("/racks/core-b/state").asText(), back.toString());
            await(apiOptions, "core-a", info -> runs(info, release1) && !runs(info, release2),
                    "runs release 1 again, the copy it kept");

            JsonNode commands = json.readTree(cli(apiOptions, "commands", "list", "core-a", "--json").out());
            List<String> types = new ArrayList<>();
            commands.forEach(c -> types.add(c.get("type").asText() + " " + c.path("args").path("name").asText()));
            assertEquals(List.of("preflight-bundle rolled-1.jar", "install-bundle rolled-1.jar", "preflight-bundle rolled-2.jar",
                    "preflight-bundle broken.jar", "install-bundle rolled-2.jar", "install-bundle broken.jar",
                    "restore-bundle broken.jar", "restore-bundle rolled-2.jar"), types, commands.toString());
            assertTrue(commands.get(5).get("detail").asText().contains("NoSuchActivator"), commands.get(5).toString());
            JsonNode otherRack = json.readTree(cli(apiOptions, "commands", "list", "core-b", "--json").out());
            assertEquals(2, otherRack.size(), "core-b never got release 2: " + otherRack);
            await(apiOptions, "core-b", info -> runs(info, release1), "still runs release 1");

            // Release 3 from the Mixer's Rollouts page in a real browser, then paused, resumed and rolled back there.
            Path v3 = signed(bundle("rolled-3.jar", BSN, "3.0.0", (String) null), 30);
            String release3 = sha256(v3);
            String page = "https://127.0.0.1:" + api + "/system/console/rollouts";
            String login = Fluxrig.generatedConsolePassword(mixerData, mixer);
            ChromeDriver browser = ConsoleBrowser.start(tmp.resolve("chromium"), MixerCertificate.spkiPin(page, mixerData.resolve("ca.crt")));
            try {
                browser.get(ConsoleBrowser.withLogin(page, "fluxrig", login));
                browser.findElement(By.name("release")).sendKeys(v3.toString());
                browser.findElement(By.name("signature")).sendKeys(v3 + ".sig");
                browser.findElement(By.name("selector")).sendKeys("role=core");
                WebElement soak = browser.findElement(By.name("soakSeconds"));
                soak.clear();
                soak.sendKeys("3600"); // the canary soaks through the test: the second wave stays closed
                browser.findElement(By.id("fluxrig-rollout-submit")).click();
                String id = new WebDriverWait(browser, CLI).until(d -> d.findElements(By.cssSelector("details.fluxrig-rollout[open]")))
                        .get(0).getAttribute("data-rollout");
                assertTrue(browser.findElement(By.id("fluxrig-rollout-notice")).getText().startsWith("Rollout " + id + ": running"),
                        browser.findElement(By.id("fluxrig-rollout-notice")).getText());
                String shown = ConsoleBrowser.withLogin(page + "?rollout=" + id, "fluxrig", login);
                // The page updates itself: the canary's states appear without a reload (a mark on the
                // loaded document would be gone after one).
                markLoaded(browser);
                new WebDriverWait(browser, CLI).until(d -> "soaking".equals(rackState(d, id, "core-a"))
                        && "queued".equals(rackState(d, id, "core-b")));
                assertTrue(stillLoaded(browser), "the states changed in the page that was loaded, without a reload");
                WebElement row = browser.findElement(By.cssSelector("#fluxrig-rollouts tr[data-rollout='" + id + "']"));
                assertEquals("1 of 2", row.findElement(By.cssSelector("td.wave")).getText());
                assertEquals("preflight-bundle rolled-3.jar\ninstall-bundle rolled-3.jar", row.findElement(By.cssSelector("td.steps")).getText());
                await(apiOptions, "core-a", info -> runs(info, release3), "runs release 3, from the page's upload");
                ConsoleBrowser.screenshot(browser, "mixer-console-rollouts.png");

                assertEquals(403, forgedPost(page, login, mixerData, "action=rollback&rollout=" + id),
                        "a POST from a page of another origin, with the operator's credentials, is refused");
                assertEquals("running", rowState(browser, shown, id), "the forged rollback changed nothing");

                control(browser, id, "pause", "paused");
                control(browser, id, "resume", "running");
                control(browser, id, "rollback", "rolling-back");
                markLoaded(browser);
                new WebDriverWait(browser, CLI).until(d -> "rolled-back".equals(rowState(d, id)));
                assertTrue(stillLoaded(browser), "rolled back shown by the page's own update, without a reload");
                assertEquals("", browser.findElement(By.cssSelector("#fluxrig-rollouts tr[data-rollout='" + id + "'] td.actions"))
                        .getAttribute("data-controls"), "its buttons follow the state: none once rolled back");
                assertTrue(browser.findElements(By.cssSelector("#fluxrig-rollouts tr[data-rollout='" + id + "'] button")).isEmpty());
                new WebDriverWait(browser, CLI).until(d -> "rolled-back".equals(rackState(d, id, "core-a")));
                assertTrue(browser.findElement(By.cssSelector("details[data-rollout='" + id + "'] tr[data-rack='core-a'] td.detail"))
                        .getText().startsWith("restored: restore-bundle rolled-3.jar: done"), browser.getPageSource());
                assertEquals("skipped", rackState(browser, id, "core-b"));
                ConsoleBrowser.screenshot(browser, "mixer-console-rollouts-rolled-back.png");
            } finally {
                browser.quit();
            }
            await(apiOptions, "core-a", info -> runs(info, release1) && !runs(info, release3), "runs release 1 again after the page's rollback");

            desiredState(apiOptions);
            for (Child rack : racks) {
                Fluxrig.terminated(rack, Duration.ofSeconds(30));
            }
            Fluxrig.terminated(mixer, Duration.ofSeconds(30));
        }
    }

    /**
     * {@code plan} and {@code apply} of a rig file on the same racks: the plan names each rack's
     * exact difference and pre-flights it, apply rolls it out, and applying the same rig again
     * does nothing. Then a rig whose second wave fails (core-b lacks a package) rolls back the canary:
     * it gets back the patch it ran before (its numbered snapshot) and the bundle it kept, so
     * that the first rig is in place there again.
     */
    private void desiredState(List<String> apiOptions) throws Exception {
        Path v3 = signed(bundle("rolled-5.jar", BSN, "5.0.0", (String) null), 50);
        Path flow = signed(Files.writeString(tmp.resolve("flow.yaml"), "gears: {}\n"), 50);
        Path rig = Files.writeString(tmp.resolve("rig.yaml"), """
                rollout:
                  waves: [1, 100%]
                  soak: 1s
                racks:
                  - select: role=core
                    bundles: [rolled-5.jar]
                    patch: flow.yaml
                """);
        String rig1Bundle = sha256(v3);
        String rig1Patch = sha256(flow);
        JsonNode plan = json.readTree(cliOk(apiOptions, "plan", rig.toString(), "--json"));
        assertEquals(4, plan.get("changes").asInt(), plan.toString());
        for (int i = 0; i < 2; i++) {
            JsonNode r = plan.at("/racks/" + i);
            assertEquals(i == 0 ? "core-a" : "core-b", r.get("rack").asText(), plan.toString());
            assertEquals("update", r.at("/changes/0/action").asText(), r.toString());
            assertEquals("1.0.0", r.at("/changes/0/now").asText(), r.toString());
            assertEquals(sha256(v3), r.at("/changes/0/digest").asText(), r.toString());
            assertEquals("apply", r.at("/changes/1/action").asText(), r.toString());
            assertEquals(sha256(flow), r.at("/changes/1/digest").asText(), r.toString());
            assertEquals("done", r.at("/preflight/0/state").asText(), r.toString());
            assertTrue(r.at("/preflight/0/detail").asText().contains("resolves on this rack"), r.toString());
        }

        JsonNode applied = json.readTree(cliOk(apiOptions, "apply", rig.toString(), "--wait", "--json"));
        assertEquals(1, applied.get("rollouts").size(), applied.toString());
        assertEquals("done", applied.at("/rollouts/0/state").asText(), applied.toString());
        for (String name : List.of("core-a", "core-b")) {
            await(apiOptions, name, info -> runs(info, rig1Bundle) && rig1Patch.equals(info.at("/inventory/patch").asText()),
                    "runs the rig");
        }
        JsonNode again = json.readTree(cliOk(apiOptions, "apply", rig.toString(), "--json"));
        assertTrue(again.get("nothingToDo").asBoolean(), again.toString());
        assertEquals(0, again.get("changes").asInt(), again.toString());
        assertEquals(0, again.get("rollouts").size(), again.toString());
        String noop = cliOk(apiOptions, "apply", rig.toString());
        assertTrue(noop.contains("apply: nothing to do: the 2 rack(s) "), noop);
        assertTrue(noop.contains("  = same    bundle " + BSN + " 5.0.0 ("), noop);

        // The next rig needs a package only core-a has: its canary (core-a) takes it, core-b refuses it in the
        // pre-flight, and the rollout rolls the canary back to the first rig.
        Path exporter = signed(bundle("exporter.jar", "io.fluxrig.itest.exporter", "1.0.0",
                Map.of("Export-Package", "io.fluxrig.itest.onlya;version=1.0.0")), 1);
        cliOk(apiOptions, "deploy", "core-a", "--bundle", exporter.toString());
        Path v4 = signed(bundle("rolled-6.jar", BSN, "6.0.0", Map.of("Import-Package", "io.fluxrig.itest.onlya")), 60);
        Path flow2 = signed(Files.writeString(tmp.resolve("flow2.yaml"), "# the next flow\ngears: {}\n"), 60);
        Path next = Files.writeString(tmp.resolve("next.yaml"), """
                rollout:
                  waves: [1, 100%]
                  soak: 1s
                  on-failure: rollback
                racks:
                  - select: role=core
                    bundles: [rolled-6.jar]
                    patch: flow2.yaml
                """);
        Supervisor.Result failed = cli(apiOptions, "apply", next.toString(), "--wait", "--json");
        assertEquals(1, failed.exit(), failed.out() + failed.stderr());
        JsonNode id = json.readTree(failed.out()).at("/rollouts/0/id");
        JsonNode back = awaitRollout(apiOptions, id.asText(), "rolled-back");
        assertEquals("rolled-back", back.at("/racks/core-a/state").asText(), back.toString());
        JsonNode commands = json.readTree(cli(apiOptions, "commands", "list", "core-a", "--json").out());
        List<String> last = new ArrayList<>();
        commands.forEach(c -> last.add(c.get("type").asText() + " " + c.path("args").path("name").asText()));
        assertEquals(List.of("preflight-bundle rolled-6.jar", "install-bundle rolled-6.jar", "apply-patch flow2.yaml",
                "restore-patch flow2.yaml", "restore-bundle rolled-6.jar"), last.subList(last.size() - 5, last.size()), last.toString());
        assertTrue(commands.get(commands.size() - 2).get("detail").asText().startsWith("restored patch snapshot "),
                commands.get(commands.size() - 2).toString());
        await(apiOptions, "core-a", info -> runs(info, rig1Bundle) && rig1Patch.equals(info.at("/inventory/patch").asText()),
                "runs the first rig again");
        JsonNode restored = json.readTree(cliOk(apiOptions, "plan", rig.toString(), "--no-preflight", "--json"));
        assertEquals(0, restored.at("/racks/0/changes").findValues("action").stream().filter(a -> !a.asText().equals("same")).count(),
                restored.toString());
        JsonNode otherRack = json.readTree(cli(apiOptions, "commands", "list", "core-b", "--json").out());
        JsonNode refused = otherRack.get(otherRack.size() - 1);
        assertEquals("preflight-bundle rolled-6.jar refused", refused.get("type").asText() + " " + refused.path("args").path("name")
                .asText() + " " + refused.get("state").asText(), otherRack.toString());
        assertTrue(refused.get("detail").asText().contains("io.fluxrig.itest.onlya"), refused.toString());
        await(apiOptions, "core-b", info -> runs(info, rig1Bundle) && rig1Patch.equals(info.at("/inventory/patch").asText()),
                "still runs the first rig");
    }

    private String cliOk(List<String> apiOptions, String... command) throws Exception {
        Supervisor.Result r = cli(apiOptions, command);
        assertEquals(0, r.exit(), r.out() + r.stderr());
        return r.out();
    }

    /** Marks the document now loaded; {@link #stillLoaded} tells whether the browser still shows that one. */
    private static void markLoaded(ChromeDriver browser) {
        browser.executeScript("document.body.setAttribute('data-fluxrig-it', 'loaded-before')");
    }

    private static boolean stillLoaded(ChromeDriver browser) {
        return !browser.findElements(By.cssSelector("body[data-fluxrig-it='loaded-before']")).isEmpty();
    }

    /** Clicks a rollout's button on the page (accepting the confirmation rollback asks for) and waits for the new state. */
    private static void control(ChromeDriver browser, String id, String action, String state) {
        browser.findElement(By.cssSelector("#fluxrig-rollouts tr[data-rollout='" + id + "'] button[data-action='" + action + "']")).click();
        if ("rollback".equals(action)) {
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.alertIsPresent()).accept();
        }
        new WebDriverWait(browser, CLI).until(d -> state.equals(rowState(d, id)));
    }

    private static String rowState(ChromeDriver browser, String url, String id) {
        browser.get(url);
        return rowState(browser, id);
    }

    private static String rowState(org.openqa.selenium.WebDriver d, String id) {
        List<WebElement> cells = d.findElements(By.cssSelector("#fluxrig-rollouts tr[data-rollout='" + id + "'] td.state"));
        return cells.isEmpty() ? null : cells.get(0).getText();
    }

    private static String rackState(org.openqa.selenium.WebDriver d, String id, String rack) {
        List<WebElement> cells = d.findElements(By.cssSelector("details[data-rollout='" + id + "'] tr[data-rack='" + rack + "'] td.state"));
        return cells.isEmpty() ? null : cells.get(0).getAttribute("textContent");
    }

    /** @return the status of a rollout control POSTed with the console's credentials but another site's Origin */
    private static int forgedPost(String page, String password, Path mixerData, String form) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TlsContexts.trusting(Pem.readCertificate(mixerData.resolve("ca.crt")))).build();
        HttpRequest forged = HttpRequest.newBuilder(URI.create(page)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("fluxrig:" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Origin", "https://attacker.example").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return client.send(forged, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** @return whether the rack's inventory has a bundle archive with this digest */
    private static boolean runs(JsonNode info, String digest) {
        for (JsonNode d : info.at("/inventory/bundleDigests")) {
            if (digest.equals(d.asText())) {
                return true;
            }
        }
        return false;
    }

    private JsonNode rollout(List<String> apiOptions, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("rollout", "create"));
        all.addAll(List.of(args));
        all.add("--json");
        Supervisor.Result r = cli(apiOptions, all.toArray(String[]::new));
        assertEquals(0, r.exit(), r.out() + r.stderr());
        return json.readTree(r.out());
    }

    /** Runs {@code rollout status ID --json} until the rollout has ended; fails unless it ended in this state. */
    private JsonNode awaitRollout(List<String> apiOptions, String id, String state) throws Exception {
        JsonNode r = Await.until("rollout " + id + " to end", () -> {
            Supervisor.Result status = cli(apiOptions, "rollout", "status", id, "--json");
            assertEquals(0, status.exit(), status.stderr());
            return json.readTree(status.out());
        }, s -> List.of("done", "failed", "rolled-back", "aborted", "paused").contains(s.get("state").asText()), START, POLL);
        assertEquals(state, r.get("state").asText(), r.toString());
        return r;
    }

    /** Runs {@code rack-info NAME --json} until the record satisfies the condition. */
    private void await(List<String> apiOptions, String rack, Predicate<JsonNode> condition, String what) throws Exception {
        Await.until(rack + " " + what, () -> {
            Supervisor.Result r = cli(apiOptions, "rack-info", rack, "--json");
            if (r.exit() != 0) {
                assertTrue(r.stderr().contains("no rack '" + rack + "'"), r.stderr()); // not enrolled yet
                return json.createObjectNode();
            }
            return json.readTree(r.out());
        }, info -> info.size() > 0 && condition.test(info), START, POLL);
    }

    private Path signed(Path file, int sequence) throws Exception {
        Supervisor.Result r = Fluxrig.run(new byte[0], CLI, "release", "sign", file.toString(), "--key",
                tmp.resolve("acme.key").toString(), "--sequence", Integer.toString(sequence));
        assertEquals(0, r.exit(), r.out() + r.stderr());
        return file;
    }

    /** A bundle jar with these extra manifest headers. */
    private Path bundle(String name, String bsn, String version, Map<String, String> headers) throws IOException {
        Path file = bundle(name, bsn, version, (String) null);
        Manifest m;
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(file.toFile())) {
            m = j.getManifest();
        }
        headers.forEach(m.getMainAttributes()::putValue);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("readme.txt"));
            j.write(name.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return file;
    }

    /** A bundle jar with a manifest and one resource; with an activator class that is not in it when given. */
    private Path bundle(String name, String bsn, String version, String activator) throws IOException {
        Path file = tmp.resolve(name);
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", bsn, "Bundle-Version", version).forEach(a::putValue);
        if (activator != null) {
            a.putValue("Bundle-Activator", activator); // resolves (pre-flight passes), fails to start
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("readme.txt"));
            j.write(name.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return file;
    }

    private static String sha256(Path file) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Supervisor.Result cli(List<String> apiOptions, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(apiOptions);
        return Fluxrig.run(new byte[0], CLI, args.toArray(String[]::new));
    }
}
