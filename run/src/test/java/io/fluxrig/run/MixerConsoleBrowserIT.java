package io.fluxrig.run;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.nats.trust.Role;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.NatsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Mixer's Web Console in a real browser (Debian chromium, headless), everything started
 * through the launcher: nats-server, {@code run/fluxrig mixer} (generated console credentials),
 * a token from {@code run/fluxrig token}, a rack enrolled with it. The console refuses no
 * credentials and admin/admin; with the generated credentials its "Racks" page lists the rack
 * online with its heartbeat, address and versions, and the rack's inventory (gear instances,
 * wires, gear types, bundles) opens below it. The console address is the one the readiness line
 * prints; over HTTPS the browser trusts exactly the certificate the Mixer CA issued (checked
 * first against {@code <data>/ca.crt}), nothing else.
 */
class MixerConsoleBrowserIT {
    private static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void racksPageListsTheEnrolledRackOnlineWithItsInventory() throws Exception {
        Path mixerData = tmp.resolve("mixer");
        int snake = Fluxrig.freePort();
        int api = Fluxrig.freePort();
        Supervisor started = Fluxrig.processes();
        try (NatsServer nats = NatsServer.started()) {
            try {
                Child mixer = Fluxrig.start(started, "mixer", "--data", mixerData.toString(), "--nats", nats.url(), "--nats-creds", nats.creds(Role.MIXER).toString(), "--nats-ca", nats.caFile().toString(),
                        "--snake-port", Integer.toString(snake), "--api-port", Integer.toString(api));
                Fluxrig.awaitReadyFile(mixer, mixerData.resolve("mixer.ready"), START);
                java.util.Properties ready = new java.util.Properties();
                try (var in = Files.newBufferedReader(mixerData.resolve("mixer.ready"))) {
                    ready.load(in);
                }
                String consoleUrl = ready.getProperty("console");
                assertEquals("https://127.0.0.1:" + api + "/system/console", consoleUrl,
                        "the Web Console shares the API's HTTPS address");
                String operatorToken = Fluxrig.operatorToken(mixerData, mixer);
                String consolePassword = Fluxrig.generatedConsolePassword(mixerData, mixer);

                Path tokenFile = tmp.resolve("edge1.token");
                Supervisor.Result minted = Fluxrig.run(new byte[0], START, "token", "--rack", "edge1", "--ttl", "10m", "--token-file",
                        tokenFile.toString(), "--api", "https://127.0.0.1:" + api, "--api-token-file", mixerData.resolve("operator.token").toString(),
                        "--data", mixerData.toString());
                assertEquals(0, minted.exit(), minted.stderr());
                Child rack = Fluxrig.start(started, "rack", "--name", "edge1", "--data", tmp.resolve("edge1").toString(),
                        "--patch", Fluxrig.ROOT.resolve("run/demo/demo-patch.yaml").toString(),
                        "--console-port", Integer.toString(Fluxrig.freePort()), "--mixer", "127.0.0.1:" + snake,
                        "--token-file", tokenFile.toString(), "--heartbeat-ms", "500");
                Fluxrig.awaitOnline("edge1", List.of("--api", "https://127.0.0.1:" + api, "--api-token-file",
                        mixerData.resolve("operator.token").toString(), "--data", mixerData.toString()), START);

                String page = consoleUrl + "/racks";
                assertNoPlainHttp(api);
                ChromeDriver browser = ConsoleBrowser.start(tmp.resolve("chromium"), MixerCertificate.spkiPin(page, mixerData.resolve("ca.crt")));
                try {
                    browser.get(page);
                    assertFalse(browser.getPageSource().contains("fluxrig-racks"), "shown without credentials");
                    browser.get(ConsoleBrowser.withLogin(page, "admin", "admin"));
                    assertFalse(browser.getPageSource().contains("fluxrig-racks"), "shown to admin/admin");

                    String authorised = ConsoleBrowser.withLogin(page, "fluxrig", consolePassword);
                    WebElement row = awaitOnline(browser, authorised, "edge1");
                    assertEquals("online", row.findElement(By.cssSelector("td.state")).getText());
                    assertTrue(row.findElement(By.cssSelector("td.age")).getText().matches("\\d+ s ago"), row.getText());
                    assertTrue(row.findElement(By.cssSelector("td.address")).getText().startsWith("127.0.0.1"), row.getText());
                    assertTrue(row.findElement(By.cssSelector("td.versions")).getText().contains("java 17"), row.getText());
                    assertTrue(row.findElement(By.cssSelector("td.labels")).getText().isEmpty(), row.getText());

                    // The rack's inventory: collapsed until its summary is clicked, then readable.
                    WebElement details = browser.findElement(By.cssSelector("details.fluxrig-rack[data-rack='edge1']"));
                    WebElement gearsTable = details.findElement(By.cssSelector("table.gears"));
                    assertFalse(gearsTable.isDisplayed(), "inventory starts collapsed");
                    details.findElement(By.tagName("summary")).click();
                    assertTrue(gearsTable.isDisplayed(), "inventory opens");
                    Set<String> gears = details.findElements(By.cssSelector("table.gears td.name")).stream()
                            .map(WebElement::getText).collect(Collectors.toSet());
                    assertEquals(Set.of("tick", "shout", "console"), gears);
                    String wires = details.findElement(By.cssSelector("ul.wires")).getText();
                    assertTrue(wires.contains("tick.out -> shout.in"), wires);
                    Set<String> types = details.findElements(By.cssSelector("table.gear-types td.type")).stream()
                            .map(WebElement::getText).collect(Collectors.toSet());
                    assertTrue(types.containsAll(Set.of("timer", "transform", "log")), types.toString());
                    String bundles = details.findElement(By.cssSelector("table.bundles")).getText();
                    assertTrue(bundles.contains("io.fluxrig.rack.runtime") && bundles.contains("ACTIVE"), bundles);
                    ConsoleBrowser.screenshot(browser, "mixer-console-racks.png");
                } finally {
                    browser.quit();
                }
                Fluxrig.terminated(rack, START);
                Fluxrig.terminated(mixer, START);
            } finally {
                started.close();
            }
        }
    }

    /** Reloads the page (bounded) until the rack's row shows it online; the page is rendered per request. */
    private static WebElement awaitOnline(ChromeDriver browser, String url, String rack) throws Exception {
        By row = By.cssSelector("#fluxrig-racks tr[data-rack='" + rack + "']");
        Await.until("the Racks page to show " + rack + " online", () -> {
            browser.get(url);
            return browser.getPageSource();
        }, page -> {
            List<WebElement> rows = browser.findElements(row);
            return !rows.isEmpty() && "online".equals(rows.get(0).findElement(By.cssSelector("td.state")).getText());
        }, START);
        return browser.findElement(row);
    }

    /** Plain HTTP on the operator port gets no HTTP answer: the TLS server drops it. */
    private static void assertNoPlainHttp(int port) throws Exception {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/system/console")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("plain HTTP answered " + r.statusCode() + ": " + r.body());
        } catch (java.io.IOException expected) {
            // the connection is closed without an HTTP response
        }
    }
}
