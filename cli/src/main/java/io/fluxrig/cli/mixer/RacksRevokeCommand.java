package io.fluxrig.cli.mixer;

import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;

/** {@code racks revoke NAME}: the Mixer refuses the rack's certificate from now on. */
public final class RacksRevokeCommand extends OneRackCommand {
    @Override
    public String name() {
        return "racks revoke";
    }

    @Override
    public String summary() {
        return "revoke a rack: its Snake is closed and its certificate refused";
    }

    @Override
    MixerApiClient.Reply call(MixerApiClient api, String rack) throws IOException {
        return api.call("POST", OperatorPaths.revoke(rack), "{}");
    }

    @Override
    String success(MixerApiClient.Reply reply, String rack) {
        return "rack " + rack + " revoked";
    }
}
