package io.fluxrig.cli;

import picocli.CommandLine.Command;

/** {@code msg}: the fluxMsg envelope tools. */
@Command(name = "msg", description = "the fluxMsg envelope tools (JSON <-> deterministic CBOR)",
        subcommands = {MsgEncodeCommand.class, MsgDecodeCommand.class, MsgSampleCommand.class})
final class MsgGroup extends Group {
    MsgGroup(Console console) {
        super(console);
    }
}
