package io.fluxrig.bench.roll;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The runner's settings, from {@code key=value} arguments.
 *
 * @param root the repository
 * @param data the demo's data folder
 * @param basePort the demo's ports P..P+6; the fleet racks' consoles P+50..
 * @param runs which runs: {@code swap}, {@code times}, or both
 * @param rate the load's TPS
 * @param baseline seconds of load without a change
 * @param seconds seconds of load with the change
 * @param swapAt seconds into that load when the rollouts start
 * @param connections terminals
 * @param soak the rollouts' soak
 * @param sizes fleet sizes to time a rollout on
 * @param waves the timed rollouts' waves
 */
record RollSettings(Path root, Path data, int basePort, List<String> runs, int rate, int baseline, int seconds, int swapAt, int connections,
        String soak, List<Integer> sizes, String waves) {

    static RollSettings of(Map<String, String> s) {
        return new RollSettings(Path.of(s.getOrDefault("root", ".")).toAbsolutePath().normalize(),
                Path.of(s.getOrDefault("data", "/tmp/fluxrig-roll")).toAbsolutePath().normalize(),
                Integer.parseInt(s.getOrDefault("basePort", "23100")),
                List.of(s.getOrDefault("runs", "swap,times").split(",")),
                Integer.parseInt(s.getOrDefault("rate", "300")),
                Integer.parseInt(s.getOrDefault("baseline", "20")),
                Integer.parseInt(s.getOrDefault("seconds", "60")),
                Integer.parseInt(s.getOrDefault("swapAt", "15")),
                Integer.parseInt(s.getOrDefault("connections", "50")),
                s.getOrDefault("soak", "5s"),
                java.util.Arrays.stream(s.getOrDefault("sizes", "1,3,5").split(",")).map(String::strip).map(Integer::valueOf).toList(),
                s.getOrDefault("waves", "1,100%"));
    }

    int largest() {
        return sizes.stream().mapToInt(Integer::intValue).max().orElse(1);
    }
}
