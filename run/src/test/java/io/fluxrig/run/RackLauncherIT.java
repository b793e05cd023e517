package io.fluxrig.run;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run/fluxrig rack} as a user runs it: the exported rack jar starts with the demo patch,
 * prints one readiness line, messages flow, the Web Console refuses admin/admin and accepts the
 * generated credentials, and SIGTERM stops it cleanly.
 */
class RackLauncherIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path data;

    @Test
    void rackStartsServesItsConsoleAndStopsOnSigterm() throws Exception {
        int port = Fluxrig.freePort();
        Path patch = Fluxrig.ROOT.resolve("run/demo/demo-patch.yaml");
        try (Supervisor processes = Supervisor.temporary()) {
            Child rack = Fluxrig.start(processes, "rack", "--name", "e2e", "--data", data.toString(),
                "--patch", patch.toString(), "--console-port", Integer.toString(port));
            String ready = rack.awaitLine(l -> l.startsWith("fluxrig rack e2e ready"), Duration.ofSeconds(60));
            assertTrue(ready.contains("http://127.0.0.1:" + port + "/system/console"), ready);
            assertEquals(1, rack.count(l -> l.startsWith("fluxrig rack e2e ready")), "one readiness line");

            // Generated at first start, shown once, stored hashed.
            Matcher m = Pattern.compile("Web Console user '([^']+)', password '([^']+)'").matcher(rack.output());
            assertTrue(m.find(), rack.output());
            String user = m.group(1);
            String password = m.group(2);
            String stored = Files.readString(data.resolve("console.credentials"));
            assertTrue(stored.contains("{sha-256}") && !stored.contains(password), stored);

            // Messages flow through timer -> transform -> log.
            rack.awaitLine(l -> l.contains("HELLO FROM THE STUDIO"), Duration.ofSeconds(20));

            String base = "http://127.0.0.1:" + port + "/system/console";
            assertEquals(401, get(base + "/bundles", null, null).statusCode());
            assertEquals(401, get(base + "/bundles", "admin", "admin").statusCode());
            assertEquals(200, get(base + "/bundles", user, password).statusCode());
            HttpResponse<String> page = get(base + "/fluxrig", user, password);
            assertEquals(200, page.statusCode());
            for (String gear : new String[] {"tick", "shout", "console"}) {
                assertTrue(page.body().contains("data-gear=\"" + gear + "\""), page.body());
            }

            // 128 + SIGTERM: the JVM ended on the signal, after the shutdown hook stopped the framework.
            assertEquals(143, rack.terminate(Duration.ofSeconds(30)));
            assertTrue(rack.output().contains("fluxrig rack e2e stopped"), rack.output());
        }
    }

    @Test
    void secondStartReusesStoredCredentialsAndPrintsNoPassword() throws Exception {
        for (int run = 0; run < 2; run++) {
            int port = Fluxrig.freePort();
            try (Supervisor processes = Supervisor.temporary()) {
            Child rack = Fluxrig.start(processes, "rack", "--name", "again", "--data", data.toString(),
                    "--console-port", Integer.toString(port));
                rack.awaitLine(l -> l.startsWith("fluxrig rack again ready"), Duration.ofSeconds(60));
                long shown = rack.count(l -> l.contains("shown only once"));
                assertEquals(run == 0 ? 1 : 0, shown, rack.output());
                assertTrue(rack.output().contains("patch: none"), rack.output());
                rack.terminate(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        Supervisor.Result bad = Fluxrig.run(new byte[0], Duration.ofSeconds(30), "rack", "--name", "Bad Name");
        assertEquals(2, bad.exit());
        assertTrue(bad.stderr().contains("name 'Bad Name' must match"), bad.stderr());
        Supervisor.Result missing = Fluxrig.run(new byte[0], Duration.ofSeconds(30), "rack", "--name", "x",
                "--patch", data.resolve("nope.yaml").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.stderr().contains("does not exist"), missing.stderr());
    }

    private static HttpResponse<String> get(String url, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
