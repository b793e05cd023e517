package io.fluxrig.cli.mixer;

import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;

/** {@code rack-info NAME}: one rack's registry record (state, versions, inventory) as JSON. */
public final class RackInfoCommand extends OneRackCommand {
    @Override
    public String name() {
        return "rack-info";
    }

    @Override
    public String summary() {
        return "show one rack's registry record and inventory";
    }

    @Override
    MixerApiClient.Reply call(MixerApiClient api, String rack) throws IOException {
        return api.call("GET", OperatorPaths.rack(rack), null);
    }

    @Override
    String success(MixerApiClient.Reply reply, String rack) {
        return Pretty.json(reply.json(), "");
    }
}
