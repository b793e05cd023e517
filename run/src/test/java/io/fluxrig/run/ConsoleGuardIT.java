package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Layout;
import io.fluxrig.cli.launch.Supervisor;
import io.fluxrig.testsupport.Await;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Web Console protects itself, whoever starts it:
 * <ul>
 * <li>{@code java -jar run/target/rack.jar} started by hand, with no credentials anywhere, does
 * not accept admin/admin: the console generates a password into a 0600 file under the data
 * folder and logs only that file's path.</li>
 * <li>In a real browser (Debian chromium) logged in to a rack's console, a page served from
 * another origin auto-submits a bundle install (multipart, with a bundle built here) and a
 * bundle stop to the console: both are refused (403 from the same-origin filter, after the
 * credentials were accepted) and nothing changed, while the same install sent by the logged-in
 * user from the console's own page works.</li>
 * </ul>
 */
class ConsoleGuardIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void rackJarStartedByHandRefusesAdminAdminAndKeepsItsGeneratedPasswordInAFile() throws Exception {
        int port = Fluxrig.freePort();
        Path data = tmp.resolve("rack");
        List<String> command = List.of(Layout.java(), "-Dorg.osgi.service.http.port=" + port, "-Dfluxrig.rack.data=" + data,
                "-Dorg.osgi.framework.storage=" + tmp.resolve("cache"), "-jar", Fluxrig.ROOT.resolve("run/target/rack.jar").toString());
        try (Supervisor processes = Fluxrig.processes()) {
            Child rack = processes.start("hand-rack", command);
            String password = Fluxrig.generatedConsolePassword(data, rack);
            Fluxrig.awaitConsole(port);
            String base = "http://127.0.0.1:" + port + "/system/console/bundles";
            assertEquals(401, get(base, "admin", "admin").statusCode(), "Felix's default admin/admin");
            assertEquals(401, get(base, "fluxrig", "admin").statusCode());
            assertEquals(200, get(base, "fluxrig", password).statusCode(), "the generated password");
            assertTrue(rack.output().contains(data.resolve("etc/console.password").toString()), "the log names the file: " + rack.output());

            String hash = Files.readString(data.resolve("etc/io.fluxrig.console.cfg"));
            assertTrue(hash.contains("password.hash=pbkdf2-sha256$600000$"), hash);
            String cmdline = Files.readString(Path.of("/proc/" + rack.pid() + "/cmdline")).replace('\0', ' ');
            assertFalse(cmdline.contains(password) || cmdline.contains("pbkdf2") || cmdline.contains("webconsole"), cmdline);
            rack.terminate(Duration.ofSeconds(30));
        }
    }

    @Test
    void aPageFromAnotherOriginCannotInstallOrStopABundleButTheConsoleItselfCan() throws Exception {
        int port = Fluxrig.freePort();
        String password = "csrf-test-pass-7";
        Path data = tmp.resolve("rack");
        Files.createDirectories(data);
        Path passwordFile = tmp.resolve("password.txt");
        Files.writeString(passwordFile, password + "\n");
        String console = "http://127.0.0.1:" + port + "/system/console";
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (Supervisor processes = Fluxrig.processes()) {
            Child rack = Fluxrig.start(processes, "rack", "--name", "guarded", "--data", data.toString(), "--console-port",
                    Integer.toString(port), "--console-user", "ops", "--console-password-file", passwordFile.toString());
            Fluxrig.awaitReadyFile(rack, data.resolve("rack.ready"), START);
            Fluxrig.awaitConsole(port);
            long target = bundleId(console, password, "io.fluxrig.gear.json");
            assertEquals("Active", bundleState(console, password, target));

            String evil = "io.fluxrig.test.csrf.evil";
            byte[] evilJar = bundle(evil);
            attacker.createContext("/install.html", x -> respond(x, installPage(console + "/bundles", evilJar)));
            attacker.createContext("/stop.html", x -> respond(x, stopPage(console + "/bundles/" + target)));
            attacker.start();
            String other = "http://127.0.0.1:" + attacker.getAddress().getPort();

            ChromeDriver browser = startBrowser();
            try {
                // The operator is logged in to the console: the browser holds its credentials for that origin.
                browser.get("http://ops:" + password + "@127.0.0.1:" + port + "/system/console/bundles");
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getPageSource().contains("io.fluxrig.gear.json"));

                // Another origin's page posts to the console with those credentials: refused by the filter, not by the login.
                browser.get(other + "/install.html");
                awaitRefusal(browser, port);
                browser.get(other + "/stop.html");
                awaitRefusal(browser, port);

                // The console's own page installs a bundle the same way: accepted.
                String mine = "io.fluxrig.test.csrf.mine";
                browser.get(console + "/bundles");
                Object status = ((JavascriptExecutor) browser).executeAsyncScript(installScript(console + "/bundles", bundle(mine)));
                assertTrue(status instanceof Number && ((Number) status).intValue() < 400, "same-origin install answered " + status);
                Await.until("the same-origin install of " + mine, () -> bundleIdOrMinus(console, password, mine) >= 0, START);
            } finally {
                browser.quit();
            }
            // Nothing the other origin sent reached the console.
            assertEquals(-1, bundleIdOrMinus(console, password, evil), "the cross-origin install was refused");
            assertEquals("Active", bundleState(console, password, target), "the cross-origin stop was refused");
            assertTrue(rack.output().contains("Web Console: POST /system/console/bundles from 127.0.0.1 refused: Origin " + other),
                    rack.output());
            rack.terminate(Duration.ofSeconds(30));
        } finally {
            attacker.stop(0);
        }
    }

    private static void awaitRefusal(ChromeDriver browser, int port) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().startsWith("http://127.0.0.1:" + port + "/")
                && d.getPageSource().contains("fluxrig console: cross-origin POST refused"));
    }

    /** A page that auto-submits a multipart bundle install (the bundle in a file input filled by script). */
    private static String installPage(String action, byte[] jar) {
        return "<!doctype html><html><body><form id='f' method='POST' enctype='multipart/form-data' action='" + action + "'>"
                + "<input type='hidden' name='action' value='install'><input type='hidden' name='bundlestart' value='start'>"
                + "<input type='file' name='bundlefile' id='file'></form><script>"
                + "const bytes = Uint8Array.from(atob('" + Base64.getEncoder().encodeToString(jar) + "'), c => c.charCodeAt(0));"
                + "const dt = new DataTransfer(); dt.items.add(new File([bytes], 'bundle.jar', {type: 'application/java-archive'}));"
                + "document.getElementById('file').files = dt.files; document.getElementById('f').submit();"
                + "</script></body></html>";
    }

    private static String stopPage(String action) {
        return "<!doctype html><html><body><form id='f' method='POST' action='" + action + "'>"
                + "<input type='hidden' name='action' value='stop'></form>"
                + "<script>document.getElementById('f').submit();</script></body></html>";
    }

    /** The same install as {@link #installPage}, sent with fetch from the console's own page; calls back with the status. */
    private static String installScript(String action, byte[] jar) {
        return "const done = arguments[arguments.length - 1];"
                + "const bytes = Uint8Array.from(atob('" + Base64.getEncoder().encodeToString(jar) + "'), c => c.charCodeAt(0));"
                + "const body = new FormData(); body.append('action', 'install'); body.append('bundlestart', 'start');"
                + "body.append('bundlefile', new File([bytes], 'bundle.jar', {type: 'application/java-archive'}));"
                + "fetch('" + action + "', {method: 'POST', body: body, redirect: 'manual'})"
                + ".then(r => done(r.type === 'opaqueredirect' ? 302 : r.status), e => done(String(e)));";
    }

    /** @return a minimal bundle jar: a manifest with this symbolic name, nothing else */
    private static byte[] bundle(String symbolicName) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return out.toByteArray();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange x, String html) throws java.io.IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        x.sendResponseHeaders(200, body.length);
        try (var os = x.getResponseBody()) {
            os.write(body);
        }
    }

    private static JsonNode bundles(String console, String password) throws Exception {
        HttpResponse<String> r = get(console + "/bundles.json", "ops", password);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("data");
    }

    private static long bundleIdOrMinus(String console, String password, String symbolicName) {
        try {
            for (JsonNode b : bundles(console, password)) {
                if (symbolicName.equals(b.path("symbolicName").asText())) {
                    return b.get("id").asLong();
                }
            }
            return -1;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long bundleId(String console, String password, String symbolicName) {
        long id = bundleIdOrMinus(console, password, symbolicName);
        assertTrue(id >= 0, symbolicName + " installed");
        return id;
    }

    private static String bundleState(String console, String password, long id) throws Exception {
        for (JsonNode b : bundles(console, password)) {
            if (b.get("id").asLong() == id) {
                return b.path("state").asText();
            }
        }
        throw new AssertionError("no bundle " + id);
    }

    private static HttpResponse<String> get(String url, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private ChromeDriver startBrowser() throws java.io.IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
