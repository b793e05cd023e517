package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code rack-info NAME}: one rack's registry record (state, versions, inventory) as JSON. */
public final class RackInfoCommand implements Command {
    @Override
    public String name() {
        return "rack-info";
    }

    @Override
    public String summary() {
        return "show one rack's registry record and inventory";
    }

    @Override
    public String help() {
        return "usage: fluxrig rack-info NAME " + MixerApiClient.USAGE_OPTIONS;
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        Map<String, String> o = new HashMap<>();
        List<String> rest = MixerApiClient.parse(args, List.of(), o);
        if (rest.size() != 1) {
            console.err().println(help());
            return USAGE;
        }
        MixerApiClient.Reply r = MixerApiClient.from(o).call("GET", "/api/racks/" + rest.get(0), null);
        if (r.status() != 200) {
            console.err().println("fluxrig rack-info: " + r.error());
            return FAILED;
        }
        console.out().println(Pretty.json(r.json(), ""));
        return OK;
    }
}
