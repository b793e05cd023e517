package io.fluxrig.cli.iso;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Group;
import picocli.CommandLine.Command;

/** {@code iso}: the ISO 8583 tools and the terminal-fleet load driver. */
@Command(name = "iso", description = "ISO 8583 tools (decode, encode) and the terminal-fleet load driver (send)",
        subcommands = {IsoDecodeCommand.class, IsoEncodeCommand.class, IsoSendCommand.class})
public final class IsoGroup extends Group {
    IsoGroup(Console console) {
        super(console);
    }
}
