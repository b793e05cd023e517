package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A Mixer API command about one rack ({@code COMMAND NAME [api options]}): makes one API call,
 * and prints the reason when the Mixer refuses. Subclasses say which call and what to print.
 */
abstract class OneRackCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "the rack")
    String rack;
    @Mixin
    MixerApiOptions apiOptions;

    final Console console;

    OneRackCommand(Console console) {
        this.console = console;
    }

    /** Makes the call for one rack. */
    abstract MixerApiClient.Reply call(MixerApiClient api, String rack) throws IOException;

    /** @return what to print when the Mixer answered 200 */
    abstract String success(MixerApiClient.Reply reply, String rack);

    /** @return the command's name in messages */
    abstract String name();

    /** @return whether to go on (a destructive command asks first) */
    boolean confirmed() throws IOException {
        return true;
    }

    @Override
    public final Integer call() throws IOException {
        MixerApiClient api = apiOptions.client(console);
        if (!confirmed()) {
            return Exit.FAILED;
        }
        MixerApiClient.Reply r = call(api, rack);
        if (r.status() != 200) {
            console.err().println("fluxrig " + name() + ": " + r.error());
            return Exit.FAILED;
        }
        console.out().println(success(r, rack));
        return Exit.OK;
    }
}
