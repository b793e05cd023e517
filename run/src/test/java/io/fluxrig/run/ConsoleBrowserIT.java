package io.fluxrig.run;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The rack's Web Console in a real browser (Debian chromium, headless): it asks for credentials,
 * refuses admin/admin, and with the rack's credentials its fluxrig page lists the gears of the
 * running patch.
 */
class ConsoleBrowserIT {
    @TempDir
    Path data;

    @TempDir
    Path profile;

    @Test
    void consoleRefusesAdminAdminAndListsTheRunningGears() throws Exception {
        int port = Fluxrig.freePort();
        String password = "studio-pass-42";
        Path patch = Fluxrig.ROOT.resolve("run/demo/demo-patch.yaml");
        Path passwordFile = data.resolve("console-password.txt");
        Files.writeString(passwordFile, password + "\n");
        try (Supervisor processes = Fluxrig.processes()) {
            Child rack = Fluxrig.start(processes, "rack", "--name", "browser", "--data", data.toString(),
                "--patch", patch.toString(), "--console-port", Integer.toString(port),
                "--console-user", "ops", "--console-password-file", passwordFile.toString());
            Fluxrig.awaitReadyFile(rack, data.resolve("rack.ready"), Duration.ofSeconds(60));
            Fluxrig.awaitConsole(port);
            ChromeDriver browser = ConsoleBrowser.start(profile);
            try {
                String page = "127.0.0.1:" + port + "/system/console/fluxrig";
                browser.get("http://" + page);
                assertFalse(browser.getPageSource().contains("fluxrig-gears"), "shown without credentials");

                browser.get(ConsoleBrowser.withLogin("http://" + page, "admin", "admin"));
                assertFalse(browser.getPageSource().contains("fluxrig-gears"), "shown to admin/admin");

                browser.get(ConsoleBrowser.withLogin("http://" + page, "ops", password));
                new WebDriverWait(browser, Duration.ofSeconds(15))
                        .until(d -> !d.findElements(By.cssSelector("#fluxrig-gears tr[data-gear]")).isEmpty());
                List<WebElement> rows = browser.findElements(By.cssSelector("#fluxrig-gears tr[data-gear]"));
                Set<String> gears = rows.stream().map(r -> r.getAttribute("data-gear")).collect(Collectors.toSet());
                assertEquals(Set.of("tick", "shout", "console"), gears);
                assertTrue(browser.findElement(By.id("fluxrig-gears")).getText().contains("timer"),
                        "gear types shown");
                assertFalse(browser.findElements(By.cssSelector("#fluxrig-links")).isEmpty(), "links table shown");
                ConsoleBrowser.screenshot(browser, "console-fluxrig-page.png");
            } finally {
                browser.quit();
            }
            rack.terminate(Duration.ofSeconds(30));
        }
    }
}
