package io.fluxrig.rack.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which file a bundle location names (FileInstall's file: URIs; launcher locations that are not files). */
class GearsFolderTest {
    @Test
    void fileLocationsAreFiles() {
        assertEquals(Path.of("/data/racks/a/gears/x.jar"), GearsFolder.fileOf("file:/data/racks/a/gears/x.jar"));
        assertEquals(Path.of("/data/racks/a/gears/x y.jar"), GearsFolder.fileOf("file:/data/racks/a/./gears/x%20y.jar"));
        assertEquals(Path.of("/data/gears/x.jar"), GearsFolder.fileOf("reference:file:/data/gears/x.jar"));
        assertEquals(Path.of("/data/gears/x.jar"), GearsFolder.fileOf("/data/gears/../gears/x.jar"));
    }

    @Test
    void otherLocationsAreNot() {
        assertNull(GearsFolder.fileOf("System Bundle"));
        assertNull(GearsFolder.fileOf("mvn:io.fluxrig/rack.runtime/1.0.0"));
        assertNull(GearsFolder.fileOf("relative/x.jar"));
        assertNull(GearsFolder.fileOf(null));
    }
}
