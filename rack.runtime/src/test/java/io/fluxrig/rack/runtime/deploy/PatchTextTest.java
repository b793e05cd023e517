package io.fluxrig.rack.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.rack.spi.DeployException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as patch text: UTF-8, at most 1 MiB, no NUL. */
class PatchTextTest {
    @TempDir
    Path dir;

    @Test
    void utf8TextIsReturnedAsIs() throws Exception {
        String yaml = "gears:\n  out: { type: log, config: { text: \"grüße ✓\" } }\n";
        Path f = Files.write(dir.resolve("p.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
        assertEquals(yaml, PatchText.read(f, "p.yaml"));
    }

    @Test
    void aFileOverOneMebibyteIsRefusedWithItsSize() throws Exception {
        Path f = Files.write(dir.resolve("big.yaml"), new byte[PatchText.MAX_BYTES + 1]);
        DeployException e = assertThrows(DeployException.class, () -> PatchText.read(f, "big.yaml"));
        assertTrue(e.refused());
        assertEquals("big.yaml is 1048577 bytes; a patch may be at most 1 MiB (1048576 bytes)", e.getMessage());
    }

    @Test
    void exactlyOneMebibyteOfTextIsAccepted() throws Exception {
        byte[] b = new byte[PatchText.MAX_BYTES];
        java.util.Arrays.fill(b, (byte) '#');
        assertEquals(PatchText.MAX_BYTES, PatchText.decode(b, "p").length());
    }

    @Test
    void invalidUtf8IsRefusedAtItsOffset() {
        byte[] b = {'g', 'e', 'a', 'r', (byte) 0xC3, (byte) 0x28};
        DeployException e = assertThrows(DeployException.class, () -> PatchText.decode(b, "p.yaml"));
        assertEquals("p.yaml is not UTF-8 text: invalid byte sequence at offset 4", e.getMessage());
    }

    @Test
    void aNulByteIsRefusedAsBinary() {
        byte[] b = {'a', 'b', 0, 'c'};
        DeployException e = assertThrows(DeployException.class, () -> PatchText.decode(b, "p.yaml"));
        assertEquals("p.yaml is not text: NUL byte at offset 2", e.getMessage());
    }
}
