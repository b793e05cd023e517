package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log injection: a rack reports a command result whose detail forges a second log line and
 * carries terminal escapes; the Mixer's log (slf4j-simple on standard error in tests, the same
 * text as the Mixer's log file) shows it as one escaped line.
 */
class LogHygieneTest {
    @TempDir
    Path tmp;

    @Test
    void aRackSuppliedResultWithNewlinesAndAnsiEscapesIsLoggedAsOneEscapedLine() throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            Path dir = f.enrol("edge-log");
            FakeRack.Identity rack = FakeRack.load(dir);
            String id = f.mixer.commands().enqueue("edge-log", "renew-certificate", Map.of());
            String forged = "done\n[main] WARN io.fluxrig.mixer.http.ApiHandler - rack core revoked\u001b[2K\u001b[31m";
            byte[] body = SnakeCodec.json().write(new CommandResult(id, CommandResult.DONE, forged));
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            HttpResponse<String> r;
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                r = MixerFixture.client(TestPki.context(f.mixer.ca().certificate(), rack.key(), rack.chain())).send(
                        HttpRequest.newBuilder(URI.create("https://" + f.snake() + SnakeRoute.COMMAND_RESULT.path()))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(), HttpResponse.BodyHandlers.ofString());
            } finally {
                System.setErr(err);
            }
            assertEquals(200, r.statusCode(), r.body());
            List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
            List<String> about = lines.stream().filter(l -> l.contains(id)).toList();
            assertEquals(1, about.size(), "one log line for the result: " + lines);
            String line = about.get(0);
            assertTrue(line.endsWith("done done\\n[main] WARN io.fluxrig.mixer.http.ApiHandler - rack core revoked"
                    + "\\u001b[2K\\u001b[31m"), line);
            assertFalse(lines.stream().anyMatch(l -> l.startsWith("[main] WARN io.fluxrig.mixer.http.ApiHandler - rack core revoked")),
                    "no forged line: " + lines);
            assertTrue(lines.stream().noneMatch(l -> l.indexOf('\u001b') >= 0), "no terminal escape reaches the log: " + lines);
        }
    }
}
