package io.fluxrig.cli.nats;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Group;
import picocli.CommandLine.Command;

/** {@code nats-trust}: the NATS key ceremony (the root of trust the operator keeps offline, the Mixer's signer folder). */
@Command(name = "nats-trust", description = {"the NATS root of trust: made and kept by the operator, offline",
        "init makes the operator, account and signing keys (and the servers' configuration); signer writes the part the "
                + "Mixer needs (signing keys only); creds writes a user's creds file (the Mixer's, operator tools')."},
        subcommands = {NatsTrustInitCommand.class, NatsTrustSignerCommand.class, NatsTrustCredsCommand.class})
public final class NatsTrustGroup extends Group {
    NatsTrustGroup(Console console) {
        super(console);
    }
}
