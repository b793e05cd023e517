package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.testsupport.Await;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The rack's live page ({@code /system/console/fluxrig-live}) in a real browser (Debian chromium,
 * headless) against a real rack answering a terminal over TCP: after a known number of
 * authorisations the page shows those counts, and after more it shows the new counts by itself
 * (its own polling, no reload); a request the decoder refuses appears below the tables among the
 * last failed messages, without its card number. Its JSON is refused without the console's credentials.
 */
class LiveConsoleBrowserIT {
    private static final int BATCH = 10;
    private static final String PAN = "4761739001010119";
    /** A 1987 ASCII 0200 (fields 2, 3, 4, 7, 11, 12, 13, 32, 37, 41, 42, 49) the responder approves. */
    private static final String AUTH_0200 = "0200" + "7238000108C08000" + "16" + PAN + "000000" + "000000012345" + "0131235959"
            + "000123" + "235959" + "0131" + "06" + "123456" + "000000000123" + "TERM0001" + "MERCHANT0000001" + "840";

    @TempDir
    Path data;

    @TempDir
    Path profile;

    @Test
    void theLivePageShowsTheTrafficAndRefreshesByItself() throws Exception {
        int consolePort = Fluxrig.freePort();
        int isoPort = Fluxrig.freePort();
        String password = "live-pass-4242";
        Path passwordFile = data.resolve("console-password.txt");
        Files.writeString(passwordFile, password + "\n");
        Path patch = data.resolve("live.yaml");
        Files.writeString(patch, """
                rack: live
                gears:
                  live-tcp: { type: iso8583.server, config: { port: %d, framing: binary2 } }
                  live-dec: { type: iso8583.codec, config: { direction: decode } }
                  live-issuer: { type: iso8583.responder, config: { decline.amount.over: 100000 } }
                  live-enc: { type: iso8583.codec, config: { direction: encode } }
                links:
                  - live-tcp.out -> live-dec.in
                  - live-dec.out -> live-issuer.in
                  - live-issuer.out -> live-enc.in
                  - live-enc.out -> live-tcp.in
                """.formatted(isoPort));
        try (Supervisor processes = Fluxrig.processes()) {
            Child rack = Fluxrig.start(processes, "rack", "--name", "live", "--data", data.resolve("rack").toString(),
                    "--patch", patch.toString(), "--console-port", Integer.toString(consolePort),
                    "--console-user", "ops", "--console-password-file", passwordFile.toString());
            Fluxrig.awaitReadyFile(rack, data.resolve("rack/rack.ready"), Duration.ofSeconds(60));
            Fluxrig.awaitConsole(consolePort);
            String base = "127.0.0.1:" + consolePort + "/system/console/fluxrig-live";
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + base + "/data.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), "the page's data needs the console's credentials");

            ChromeDriver browser = ConsoleBrowser.start(profile);
            try (Socket terminal = connect(isoPort)) {
                browser.get(ConsoleBrowser.withLogin("http://" + base, "ops", password));
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.until(d -> !d.findElements(By.cssSelector("#live-gears tr[data-gear='live-tcp']")).isEmpty());

                authorise(terminal, BATCH);
                wait.until(d -> BATCH == count(d, "live-tcp", "messages_out") && BATCH == count(d, "live-dec", "messages_in")
                        && BATCH == count(d, "live-tcp", "messages_in"));
                int polls = polls(browser);
                authorise(terminal, BATCH);
                // No reload: the page's own polling brings the new numbers.
                wait.until(d -> 2 * BATCH == count(d, "live-tcp", "messages_out") && 2 * BATCH == count(d, "live-enc", "messages_out"));
                assertTrue(polls(browser) > polls, "updated by its own polls");
                assertEquals(0, count(browser, "live-dec", "errors"));
                String rate = browser.findElement(By.cssSelector("#live-gears tr[data-gear='live-dec'] td.messages_in-rate")).getText();
                assertTrue(rate.matches("\\d+\\.\\d"), "a rate per second: '" + rate + "'");
                String p99 = browser.findElement(By.cssSelector("#live-gears tr[data-gear='live-dec'] td.p99_ms")).getText();
                assertFalse(p99.isEmpty(), "the call-duration percentile is shown");
                // The batch just answered fell in the rack's recent window: its p50/p99 are shown, not those since start.
                assertEquals("last 30 s", browser.findElement(By.cssSelector("#live-gears tr[data-gear='live-dec'] td.latency_over"))
                        .getText());
                // The flow picture: one box per gear, one arrow per link, with the same live numbers.
                assertEquals(4, browser.findElements(By.cssSelector("#live-flow path.flow-link")).size(), "one arrow per link");
                assertEquals(1, browser.findElements(By.cssSelector("#live-flow path.flow-link[data-link='live-enc.out -> live-tcp.in']"))
                        .size(), "the loop back to the TCP server is drawn too");
                int x = -1;
                for (String gear : List.of("live-tcp", "live-dec", "live-issuer", "live-enc")) {
                    int left = Integer.parseInt(browser.findElement(By.cssSelector("#live-flow g[data-gear='" + gear + "'] rect"))
                            .getAttribute("x"));
                    assertTrue(left > x, gear + " stands right of the gear before it in the chain");
                    x = left;
                    String latency = browser.findElement(By.cssSelector("#live-flow g[data-gear='" + gear + "'] text.flow-latency"))
                            .getText();
                    assertTrue(latency.matches("err 0 +p50 [0-9.]+ p99 [0-9.]+ ms \\(last 30 s\\)"), gear + ": '" + latency + "'");
                }
                String flowRates = browser.findElement(By.cssSelector("#live-flow g[data-gear='live-dec'] text.flow-rates")).getText();
                assertTrue(flowRates.matches("in \\d+\\.\\d/s +out \\d+\\.\\d/s"), "rates on the box: '" + flowRates + "'");
                assertFalse(browser.getPageSource().contains(PAN), "no card number on the page");

                // A request the decoder refuses (a card number of 20 digits, 19 at most): below the tables, with its
                // gear and reason, card data masked, by the page's own polling.
                String oversized = PAN + "0000";
                byte[] refused = AUTH_0200.replace("16" + PAN, "20" + oversized).getBytes(StandardCharsets.US_ASCII);
                DataOutputStream out = new DataOutputStream(terminal.getOutputStream());
                out.writeShort(refused.length);
                out.write(refused);
                out.flush();
                wait.until(d -> d.findElements(By.cssSelector("#live-failed tr.failed td.gear")).stream()
                        .anyMatch(td -> td.getText().equals("live-dec")));
                String reason = browser.findElement(By.cssSelector("#live-failed tr.failed td.reason")).getText();
                assertFalse(reason.isBlank(), "the reason is shown");
                assertFalse(reason.contains(PAN.substring(0, 11)) || browser.getPageSource().contains(oversized),
                        "the reason quotes no card number: " + reason);
                ConsoleBrowser.screenshot(browser, "console-live-page-failed.png");
                ConsoleBrowser.screenshot(browser, "console-live-page.png");
            } catch (RuntimeException | AssertionError e) {
                Files.createDirectories(Path.of("target"));
                Files.writeString(Path.of("target", "console-live-page.html"), browser.getPageSource());
                throw e;
            } finally {
                browser.quit();
            }
            rack.terminate(Duration.ofSeconds(30));
        }
    }

    /** @return the number in the gear's cell, or -1 while there is none */
    private static long count(WebDriver d, String gear, String column) {
        var cells = d.findElements(By.cssSelector("#live-gears tr[data-gear='" + gear + "'] td." + column));
        String text = cells.isEmpty() ? "" : cells.get(0).getText().strip();
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    private static int polls(WebDriver d) {
        String p = d.findElement(By.id("live-updated")).getAttribute("data-polls");
        return p == null ? 0 : Integer.parseInt(p);
    }

    private static Socket connect(int port) throws Exception {
        Socket[] socket = new Socket[1];
        Await.until("the rack's ISO 8583 port " + port + " to accept a terminal", () -> {
            try {
                socket[0] = new Socket("127.0.0.1", port);
                return true;
            } catch (java.io.IOException e) {
                return false; // the rack is still applying its patch
            }
        }, Duration.ofSeconds(30));
        socket[0].setSoTimeout(15_000);
        return socket[0];
    }

    /** Sends {@code n} authorisations one after the other, each answered with a 0210. */
    private static void authorise(Socket s, int n) throws Exception {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        DataInputStream in = new DataInputStream(s.getInputStream());
        for (int i = 0; i < n; i++) {
            byte[] body = AUTH_0200.getBytes(StandardCharsets.US_ASCII);
            out.writeShort(body.length);
            out.write(body);
            out.flush();
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            assertTrue(new String(answer, StandardCharsets.US_ASCII).startsWith("0210"));
        }
    }
}
