package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mixer API command about one rack ({@code COMMAND NAME [api options]}): parses the arguments,
 * makes one API call, and prints the reason when the Mixer refuses. Subclasses say which call
 * and what to print. Stateless.
 */
abstract class OneRackCommand implements Command {

    @Override
    public String help() {
        return "usage: fluxrig " + name() + " NAME " + MixerApiClient.USAGE_OPTIONS;
    }

    /** Makes the call for one rack. */
    abstract MixerApiClient.Reply call(MixerApiClient api, String rack) throws IOException;

    /** @return what to print when the Mixer answered 200 */
    abstract String success(MixerApiClient.Reply reply, String rack);

    @Override
    public final int run(List<String> args, Console console) throws IOException {
        Map<String, String> o = new HashMap<>();
        List<String> rest = MixerApiClient.parse(args, List.of(), o);
        if (rest.size() != 1) {
            console.err().println(help());
            return USAGE;
        }
        MixerApiClient.Reply r = call(MixerApiClient.from(o), rest.get(0));
        if (r.status() != 200) {
            console.err().println("fluxrig " + name() + ": " + r.error());
            return FAILED;
        }
        console.out().println(success(r, rest.get(0)));
        return OK;
    }
}
