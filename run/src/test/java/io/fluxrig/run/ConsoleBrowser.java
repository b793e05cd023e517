package io.fluxrig.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The browser of the console tests: Debian's chromium driven headless by Debian's chromedriver
 * (nothing downloaded), a fresh profile per test, and the console's login as HTTP Basic
 * credentials in the address (the Web Console asks with Basic; chromium keeps them for the
 * origin, so later pages and form posts go with them). A caller owns the driver and quits it.
 */
final class ConsoleBrowser {
    private ConsoleBrowser() {
    }

    /** @param profile a fresh folder for chromium's profile @return a headless chromium */
    static ChromeDriver start(Path profile) {
        return start(profile, null);
    }

    /**
     * @param profile a fresh folder for chromium's profile
     * @param spkiPin for an HTTPS console: the only certificate (its SPKI hash, see
     *        {@link MixerCertificate#spkiPin}) the browser accepts besides its own trust; null for none
     * @return a headless chromium
     */
    static ChromeDriver start(Path profile, String spkiPin) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        if (spkiPin != null) {
            options.addArguments("--ignore-certificate-errors-spki-list=" + spkiPin);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** @return the URL with the console user and password in it ({@code scheme://user:password@host/...}) */
    static String withLogin(String url, String user, String password) {
        return url.replaceFirst("://", "://" + user + ":" + password + "@");
    }

    /** Saves what the browser shows as {@code target/NAME}. */
    static void screenshot(ChromeDriver browser, String name) throws java.io.IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(Path.of("target"));
        Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }
}
