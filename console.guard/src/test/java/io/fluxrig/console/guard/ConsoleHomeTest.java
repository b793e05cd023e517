package io.fluxrig.console.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleHomeTest {
    @Test
    void explicitThenDataFolderThenDescriptorDefault() {
        assertEquals(Path.of("/x/etc"), ConsoleHome.etc(Map.of("fluxrig.console.etc", "/x/etc", "fluxrig.rack.data", "/r")::get));
        assertEquals(Path.of("/r/etc"), ConsoleHome.etc(Map.of("fluxrig.rack.data", "/r", "fluxrig.console.etc.default", "d")::get));
        assertEquals(Path.of("/m/etc"), ConsoleHome.etc(Map.of("fluxrig.mixer.data", "/m")::get));
        assertEquals(Path.of("data/mixer/etc"), ConsoleHome.etc(Map.of("fluxrig.console.etc.default", "data/mixer/etc")::get));
        assertEquals(Path.of("etc"), ConsoleHome.etc(Map.<String, String>of()::get));
    }
}
