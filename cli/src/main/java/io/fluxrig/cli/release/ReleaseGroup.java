package io.fluxrig.cli.release;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Group;
import picocli.CommandLine.Command;

/** {@code release}: publisher keys and signed releases (the trust racks check before installing). */
@Command(name = "release", description = {"publisher keys and signed releases",
        "Racks that pin publisher keys install only artifacts whose release statement a pinned key signed. Keys live with "
                + "the publisher, never on the Mixer."},
        subcommands = {ReleaseKeygenCommand.class, ReleaseSignCommand.class})
public final class ReleaseGroup extends Group {
    ReleaseGroup(Console console) {
        super(console);
    }
}
