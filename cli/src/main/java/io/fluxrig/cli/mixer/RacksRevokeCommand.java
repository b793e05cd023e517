package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code racks revoke NAME}: the Mixer refuses the rack's certificate from now on. */
public final class RacksRevokeCommand implements Command {
    @Override
    public String name() {
        return "racks revoke";
    }

    @Override
    public String summary() {
        return "revoke a rack: its Snake is closed and its certificate refused";
    }

    @Override
    public String help() {
        return "usage: fluxrig racks revoke NAME " + MixerApiClient.USAGE_OPTIONS;
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        Map<String, String> o = new HashMap<>();
        List<String> rest = MixerApiClient.parse(args, List.of(), o);
        if (rest.size() != 1) {
            console.err().println(help());
            return USAGE;
        }
        MixerApiClient.Reply r = MixerApiClient.from(o).call("POST", "/api/racks/" + rest.get(0) + "/revoke", "{}");
        if (r.status() != 200) {
            console.err().println("fluxrig racks revoke: " + r.error());
            return FAILED;
        }
        console.out().println("rack " + rest.get(0) + " revoked");
        return OK;
    }
}
