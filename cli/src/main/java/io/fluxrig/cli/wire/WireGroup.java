package io.fluxrig.cli.wire;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Group;
import picocli.CommandLine.Command;

/** {@code wire}: operator commands on one wire (see also {@code tail} and {@code wires}). */
@Command(name = "wire", description = "operator commands on a wire's dead letters (replay)", subcommands = WireReplayCommand.class)
public final class WireGroup extends Group {
    WireGroup(Console console) {
        super(console);
    }
}
