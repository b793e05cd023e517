package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import java.io.BufferedReader;
import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code racks revoke NAME}: the Mixer refuses the rack's certificate from now on. */
@Command(name = "revoke", description = {"revoke a rack: its Snake is closed and its certificate refused",
        "The Mixer closes the rack's Snake and refuses its certificate from now on; the rack must enrol again with a new "
                + "token. Asks for the rack's name as confirmation on standard input, unless --yes.",
        MixerApiOptions.ENVIRONMENT})
public final class RacksRevokeCommand extends OneRackCommand {
    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation (for scripts)")
    boolean yes;

    RacksRevokeCommand(Console console) {
        super(console);
    }

    @Override
    String name() {
        return "racks revoke";
    }

    @Override
    boolean confirmed() throws IOException {
        if (yes) {
            return true;
        }
        console.err().print("revoke rack " + rack + "? It stays refused until it enrols again with a new token. "
                + "Type its name to confirm: ");
        console.err().flush();
        String answer = new BufferedReader(new InputStreamReader(console.in(), StandardCharsets.UTF_8)).readLine();
        if (!rack.equals(answer == null ? null : answer.strip())) {
            console.err().println("fluxrig racks revoke: not confirmed; nothing was revoked (--yes skips the question)");
            return false;
        }
        return true;
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
