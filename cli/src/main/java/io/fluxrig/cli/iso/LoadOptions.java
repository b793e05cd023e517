package io.fluxrig.cli.iso;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The terminal fleet's load (a picocli mixin for {@code iso send} and {@code demo}): how many
 * requests, over how many terminals, how many in flight per terminal and how fast. The defaults
 * are the field values; a command that wants another window passes it to the constructor before
 * picocli reads the mixin. Filled in by picocli on the command's thread, read-only afterwards.
 */
public final class LoadOptions {
    @Option(names = "--count", paramLabel = "N", description = "requests (authorisations) in total, 1..50000000 (default ${DEFAULT-VALUE})")
    long count = 20000;
    @Option(names = "--connections", paramLabel = "C", description = "terminals, one connection each, 1..count (default ${DEFAULT-VALUE})")
    int connections = 50;
    @Option(names = "--window", paramLabel = "W", description = "requests in flight per terminal (default ${DEFAULT-VALUE})")
    int window;
    @Option(names = "--rate", paramLabel = "TPS",
            description = "requests per second in total; 0 (default) sends as fast as the window allows. With a rate, "
                    + "latency counts from the intended send time (coordinated omission)")
    double rate;

    /** The mixin picocli makes by itself: {@code iso send}'s window of 8. */
    public LoadOptions() {
        this(8);
    }

    /** @param window the default requests in flight per terminal */
    public LoadOptions(int window) {
        this.window = window;
    }

    /** Refuses the first option out of range, naming it (and only it). */
    public void check(CommandSpec spec) {
        check(spec, count >= 1 && count <= 50_000_000, "--count " + count + " is outside 1..50000000");
        check(spec, connections >= 1, "--connections " + connections + " must be at least 1");
        check(spec, connections <= count, "--connections " + connections + " exceeds --count " + count);
        check(spec, rate >= 0, "--rate " + rate + " must be 0 (as fast as possible) or more");
        check(spec, window >= 1, "--window " + window + " must be at least 1");
    }

    private static void check(CommandSpec spec, boolean ok, String problem) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }

    public long count() {
        return count;
    }

    public int connections() {
        return connections;
    }

    public int window() {
        return window;
    }

    /** @return requests per second in total; 0: as fast as the window allows */
    public double rate() {
        return rate;
    }
}
