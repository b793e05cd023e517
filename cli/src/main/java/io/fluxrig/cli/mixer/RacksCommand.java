package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code racks}: the Mixer's rack registry as a table, or JSON; {@code racks revoke} below it. */
@Command(name = "racks", description = {"list the racks known to the Mixer",
        "One line per rack: name, state, last heartbeat (ISO 8601 UTC), address, labels; with --json the registry "
                + "records as one line of JSON (an array; times as ISO 8601).",
        MixerApiOptions.ENVIRONMENT},
        subcommands = RacksRevokeCommand.class)
public final class RacksCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print the records as one line of JSON (for scripts)")
    boolean json;
    @Mixin
    MixerApiOptions apiOptions;

    private final Console console;

    RacksCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        MixerApiClient.Reply r = apiOptions.client(console).call("GET", OperatorPaths.RACKS, null);
        if (r.status() != 200 || !(r.json() instanceof List<?> racks)) {
            console.err().println("fluxrig racks: the Mixer refused: " + r.error());
            return Exit.FAILED;
        }
        if (json) {
            console.out().println(Pretty.compact(Times.iso(racks)));
            return Exit.OK;
        }
        console.out().printf("%-24s %-8s %-24s %-16s %s%n", "NAME", "STATE", "LAST HEARTBEAT", "ADDRESS", "LABELS");
        for (Object x : racks) {
            Map<?, ?> m = (Map<?, ?>) x;
            long last = m.get("lastSeen") instanceof Number n ? n.longValue() : 0;
            console.out().printf("%-24s %-8s %-24s %-16s %s%n", m.get("name"), m.get("state"),
                    last == 0 ? "-" : Times.iso(last), m.get("address") == null ? "-" : m.get("address"),
                    m.get("labels"));
        }
        return Exit.OK;
    }
}
