package io.fluxrig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The real command line run in the test's JVM ({@link Main#run}) with no input, keeping what the
 * last command printed on stdout and stderr. One per test instance; not thread-safe.
 */
public final class CliRun {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** @return the command's exit code; its output replaces the previous command's */
    public int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** @return what the last command printed on stdout */
    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** @return what the last command printed on stderr */
    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** @return the last command's stdout read as JSON (a {@code --json} result) */
    public JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out());
    }
}
