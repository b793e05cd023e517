package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, shortened: the demo flow runs, messages visibly flow, it stops cleanly. */
class DemoIT {
    @TempDir
    Path data;

    @Test
    void demoShowsMessagesFlowingAndStopsCleanly() throws Exception {
        Launcher.Result demo = Launcher.runToEnd(new byte[0], Duration.ofSeconds(120), "demo", "--seconds", "8",
                "--console-port", Integer.toString(Launcher.freePort()), "--data", data.toString());
        String all = demo.out() + "\n" + demo.stderr();
        assertEquals(0, demo.exit(), all);
        assertTrue(all.contains("fluxrig rack demo ready"), all);
        long flowing = all.lines().filter(l -> l.contains("HELLO FROM THE STUDIO")).count();
        assertTrue(flowing >= 3, "at least 3 messages through the chain in 8 s (one every 500 ms): " + all);
        assertTrue(all.contains("fluxrig rack demo stopped"), all);
    }
}
