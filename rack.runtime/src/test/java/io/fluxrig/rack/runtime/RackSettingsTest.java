package io.fluxrig.rack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The patch file: configured, or {@code <data>/patch.yaml}; configuration before framework properties. */
class RackSettingsTest {
    @TempDir
    Path data;

    @Test
    void withoutThePropertyThePatchFileIsInTheDataFolder() throws Exception {
        RackSettings s = RackSettings.from(Map.of(RackSettings.DATA, data.toString())::get);
        assertNull(s.patch());
        assertEquals(data.resolve("patch.yaml"), s.patchFile());
        assertEquals("none", s.patchText(), "no file yet: the rack runs the empty patch");
        Files.writeString(data.resolve("patch.yaml"), "gears: {}\n");
        assertEquals(data.resolve("patch.yaml").toString(), s.patchText());
    }

    @Test
    void thePropertyWins() {
        Path p = data.resolve("elsewhere.yaml");
        RackSettings s = RackSettings.from(Map.of(RackSettings.DATA, data.toString(), RackSettings.PATCH, p.toString())::get);
        assertEquals(p, s.patchFile());
        assertEquals(p.toString(), s.patchText(), "shown even before it exists");
    }

    @Test
    void theConfigurationWinsOverFrameworkPropertiesWhichFillInTheRest() {
        Map<String, String> framework = Map.of(RackSettings.NAME, "framework", RackSettings.GRACE, "7", RackSettings.DATA, data.toString());
        RackSettings s = RackSettings.from(Map.of("name", "edge", "console.url", "http://127.0.0.1:9/system/console",
                "buffer.capacity", 5), framework::get);
        assertEquals("edge", s.name());
        assertEquals("http://127.0.0.1:9/system/console", s.consoleUrl());
        assertEquals(5, s.bufferCapacity());
        assertEquals(7, s.graceMillis(), "not configured: the framework property");
        assertEquals(data, s.data());
        assertEquals(RackSettings.DEFER_TIMEOUT_DEFAULT, s.deferTimeoutMillis(), "neither: the default");
    }

    @Test
    void withoutAnyTheDataFolderIsTheWorkingDirectory() {
        RackSettings s = RackSettings.from(Map.of(), k -> null);
        assertEquals("rack", s.name());
        assertEquals(Path.of("").toAbsolutePath(), s.data());
    }

    @Test
    void anInvalidValueNamesItsProperty() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RackSettings.from(Map.of("defer.timeout.ms", "0"), k -> null));
        assertEquals("fluxrig.rack.defer.timeout.ms: '0' is not a valid number (1 or more)", e.getMessage());
    }

    @Test
    void theConsoleUrlComesFromFelixHttpsSettings() {
        assertEquals("http://127.0.0.1:9191/system/console",
                RackSettings.from(Map.of("org.osgi.service.http.port", "9191"), Map.of("org.osgi.service.http.port", "8181")::get).consoleUrl());
        assertEquals("http://127.0.0.1:8181/system/console", RackSettings.from(Map.of(), Map.of("org.osgi.service.http.port", "8181")::get)
                .consoleUrl());
        RackSettings shown = RackSettings.from(Map.of("console.url", "http://x/system/console", "org.osgi.service.http.port", "9191"), k -> null);
        assertEquals("http://x/system/console", shown.consoleUrl());
        assertEquals(9191, shown.consolePort(), "readiness waits for the console on this port");
        assertEquals(-1, RackSettings.from(Map.of(), k -> null).consolePort());
    }
}
