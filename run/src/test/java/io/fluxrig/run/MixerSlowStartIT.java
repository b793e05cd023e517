package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Readiness;
import io.fluxrig.cli.launch.Supervisor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Mixer that cannot start (its NATS is not there) says where its start is held up, and a wait
 * for its readiness that gives up quotes those lines: what a CI log shows of a process that did
 * not start.
 */
class MixerSlowStartIT {
    @TempDir
    Path tmp;

    @Test
    void aMixerThatCannotStartSaysWhereItsStartIsAndTheFailedWaitQuotesIt() throws Exception {
        Path data = tmp.resolve("mixer");
        int closed = Fluxrig.freePort(); // nothing listens there
        try (Supervisor processes = Fluxrig.processes()) {
            Child mixer = Fluxrig.start(processes, "mixer", "--data", data.toString(), "--nats", "nats://127.0.0.1:" + closed,
                    "--snake-port", Integer.toString(Fluxrig.freePort()), "--api-port", Integer.toString(Fluxrig.freePort()));
            mixer.awaitLine(l -> l.contains("Mixer not ready after 20 s; its start thread is at "), Duration.ofSeconds(90));
            IOException gaveUp = assertThrows(IOException.class,
                    () -> mixer.awaitReady(Readiness.file(data.resolve("mixer.ready")), Duration.ofSeconds(1)));
            String quoted = gaveUp.getMessage();
            assertTrue(quoted.contains("'s last lines:") && quoted.contains("Mixer start failed (retrying in ")
                    && quoted.contains("Mixer not ready after 20 s; its start thread is at ")
                    && quoted.contains("io.fluxrig.mixer.MixerComponent.run"), quoted);
            Fluxrig.terminated(mixer, Duration.ofSeconds(60));
        }
    }
}
