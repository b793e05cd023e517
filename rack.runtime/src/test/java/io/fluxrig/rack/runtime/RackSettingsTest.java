package io.fluxrig.rack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The patch file: configured, or {@code <data>/patch.yaml}. */
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
}
