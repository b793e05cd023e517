package io.fluxrig.rack.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fluxrig.rack.spi.DeployOrigin;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rack's record of which rollout installed which bundle version. */
class GearOriginsTest {
    @TempDir
    Path tmp;

    @Test
    void aBundleVersionKeepsItsRolloutAcrossARestartAndAnotherVersionHasNone() {
        Path file = tmp.resolve("deploy").resolve("origins.properties");
        GearOrigins first = new GearOrigins(file);
        long before = first.generation();
        first.bundle("io.fluxrig.gear.json", "1.0.0.SNAPSHOT", new DeployOrigin("0123456789abcdef", 4), 1_000);
        assertNotEquals(before, first.generation(), "a record moves the generation: cached span attributes are re-made");
        first.bundle("io.fluxrig.gear.json", "0.9", new DeployOrigin("aaaaaaaaaaaaaaaa", 0), 500);

        GearOrigins again = new GearOrigins(file); // a restarted rack
        assertEquals(new GearOrigins.Origin("0123456789abcdef", 4, 1_000), again.of("io.fluxrig.gear.json 1.0.0.SNAPSHOT"));
        assertEquals(new GearOrigins.Origin("aaaaaaaaaaaaaaaa", 0, 500), again.of("io.fluxrig.gear.json 0.9.0"),
                "the version as the framework prints it: a restore back to it finds its rollout");
        assertNull(again.of("io.fluxrig.gear.json 2.0.0"));
        assertNull(again.of("io.fluxrig.gear.iso8583 1.0.0.SNAPSHOT"));
        assertNull(again.of("?"));
        assertNull(again.of(null));

        again.bundle("io.fluxrig.gear.json", "1.0.0.SNAPSHOT", DeployOrigin.NONE, 2_000);
        assertNull(new GearOrigins(file).of("io.fluxrig.gear.json 1.0.0.SNAPSHOT"), "a deploy outside any rollout forgets it");
    }

    @Test
    void theOldestRecordsAreForgottenBeyondTheCap() {
        GearOrigins o = new GearOrigins(tmp.resolve("origins.properties"));
        for (int i = 0; i <= GearOrigins.MAX_ENTRIES; i++) {
            o.bundle("io.example.b" + i, "1.0.0", new DeployOrigin("r" + i, i + 1), 10_000 + i);
        }
        assertNull(o.of("io.example.b0 1.0.0"));
        assertEquals("r1", o.of("io.example.b1 1.0.0").rollout());
        assertEquals("r" + GearOrigins.MAX_ENTRIES, o.of("io.example.b" + GearOrigins.MAX_ENTRIES + " 1.0.0").rollout());
    }
}
