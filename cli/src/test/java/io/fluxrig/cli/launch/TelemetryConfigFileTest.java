package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --otlp URL} as the rack's etc/fluxrig.telemetry.cfg, through the launcher's one file writer. */
class TelemetryConfigFileTest {
    @TempDir
    Path data;

    @Test
    void writtenIntoEtcOnceThenAUsersEditIsKeptAndAnotherUrlChangesItsLine() throws Exception {
        Path file = TelemetryConfigFile.ensure(data, "http://127.0.0.1:4318");
        assertEquals(data.resolve("etc/fluxrig.telemetry.cfg"), file);
        assertFalse(Files.exists(data.resolve("gears/fluxrig.telemetry.cfg")), "not in gears/");
        Properties p = load(file);
        assertEquals("true", p.getProperty("enabled"));
        assertEquals("http://127.0.0.1:4318", p.getProperty("endpoint"));

        String edited = Files.readString(file) + "# mine\nsampler.ratio=0.25\n";
        Files.writeString(file, edited);
        String said = stderr(() -> TelemetryConfigFile.ensure(data, "http://127.0.0.1:4318"));
        assertEquals(edited, Files.readString(file), "the same URL again: the file stays as edited");
        assertEquals("", said);

        said = stderr(() -> TelemetryConfigFile.ensure(data, "http://collector:4318"));
        assertEquals(edited.replace("endpoint=http://127.0.0.1:4318", "endpoint=http://collector:4318"), Files.readString(file),
                "another URL changes the endpoint line only");
        assertTrue(said.contains("--otlp http://collector:4318") && said.contains("(was http://127.0.0.1:4318)"), said);
    }

    @Test
    void aFileDroppedIntoGearsIsTheOneUsed() throws Exception {
        Path dropped = Files.createDirectories(data.resolve("gears")).resolve("fluxrig.telemetry.cfg");
        Files.writeString(dropped, "enabled=false\nendpoint=http://old:4318\nqueue.size=512\n");
        stderr(() -> TelemetryConfigFile.ensure(data, "http://new:4318"));
        assertFalse(Files.exists(data.resolve("etc/fluxrig.telemetry.cfg")));
        assertEquals("enabled=true\nendpoint=http://new:4318\nqueue.size=512\n", Files.readString(dropped));
    }

    @Test
    void aUrlWithCredentialsOrWithoutHostIsRefused() {
        assertNull(TelemetryConfigFile.problem("https://collector.example:4318"));
        assertTrue(TelemetryConfigFile.problem("http://user:pw@collector:4318").contains("credentials do not belong in the URL"));
        assertTrue(TelemetryConfigFile.problem("collector:4318").contains("not an http(s) URL"));
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    private interface Io {
        void run() throws Exception;
    }

    /** @return what {@code io} printed on stderr */
    private static String stderr(Io io) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            io.run();
        } finally {
            System.setErr(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
