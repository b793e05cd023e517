package io.fluxrig.cli.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * A process to start: its working directory and its command line. Racks and the Mixer run in
 * their own folder (their framework cache, {@code etc/} and {@code gears/} are relative to it).
 * Immutable.
 *
 * @param dir the working directory, or null for the starter's own
 * @param argv the command line
 */
public record StartLine(Path dir, List<String> argv) {
    public StartLine {
        argv = List.copyOf(argv);
    }
}
