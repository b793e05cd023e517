package io.fluxrig.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A command that only groups subcommands ({@code msg}, {@code iso}, {@code wire}): alone, it prints its help. */
public abstract class Group implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    private final Console console;

    /** @param console where the help goes */
    protected Group(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(console.out());
        return Exit.OK;
    }
}
