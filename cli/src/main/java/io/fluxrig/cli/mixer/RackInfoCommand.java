package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rack-info NAME}: one rack's registry record (state, versions, inventory) as JSON. */
@Command(name = "rack-info", description = {"show one rack's registry record and inventory",
        "Prints the Mixer's record of rack NAME as indented JSON: state, labels, first and last heartbeat, address, "
                + "certificate serial and expiry, versions and the inventory it last reported. Times are ISO 8601 UTC. "
                + "--json prints the same object on one line.",
        MixerApiOptions.ENVIRONMENT})
public final class RackInfoCommand extends OneRackCommand {
    @Option(names = "--json", description = "print the record on one line (for scripts)")
    boolean json;

    RackInfoCommand(Console console) {
        super(console);
    }

    @Override
    String name() {
        return "rack-info";
    }

    @Override
    MixerApiClient.Reply call(MixerApiClient api, String rack) throws IOException {
        return api.call("GET", OperatorPaths.rack(rack), null);
    }

    @Override
    String success(MixerApiClient.Reply reply, String rack) {
        String text = Pretty.json(Times.iso(reply.json()), "");
        return json ? Pretty.compact(Times.iso(reply.json())) : text;
    }
}
