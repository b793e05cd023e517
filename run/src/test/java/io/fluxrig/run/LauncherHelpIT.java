package io.fluxrig.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.launch.Supervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code run/fluxrig COMMAND --help} for the commands the launcher handles itself or hands on
 * (build, test, resolve, nats, rack, mixer): each prints its help, exits 0 and does nothing else.
 * What acting would change is compared before and after: the build mark {@code run/target/build.ok}
 * (a build removes it first) and the checked-in bndrun files (resolve rewrites them).
 */
class LauncherHelpIT {
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @Test
    void helpExplainsAndNeverActs() throws Exception {
        Path mark = Fluxrig.ROOT.resolve("run/target/build.ok");
        assertTrue(Files.isRegularFile(mark), "the build this test runs in wrote " + mark);
        FileTime built = Files.getLastModifiedTime(mark);
        Map<Path, String> bndruns = bndruns();
        for (String command : List.of("build", "test", "resolve", "nats", "rack", "mixer")) {
            Supervisor.Result help = Fluxrig.run(new byte[0], HANG_GUARD, command, "--help");
            assertEquals(0, help.exit(), command + ": " + help.stderr());
            assertTrue(help.out().startsWith("usage: run/fluxrig " + command) || help.out().startsWith("usage: fluxrig " + command),
                    command + " --help prints its usage: " + help.out() + help.stderr());
            assertEquals(built, Files.getLastModifiedTime(mark), command + " --help touched the build");
            assertEquals(bndruns, bndruns(), command + " --help changed a bndrun file");
        }
    }

    private static Map<Path, String> bndruns() throws Exception {
        Map<Path, String> texts = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("run", "rack.itest")) {
            try (Stream<Path> s = Files.list(Fluxrig.ROOT.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().endsWith(".bndrun")).forEach(files::add);
            }
        }
        for (Path f : files) {
            texts.put(f, Files.readString(f));
        }
        return texts;
    }
}
