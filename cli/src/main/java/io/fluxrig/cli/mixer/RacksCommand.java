package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code racks}: the Mixer's rack registry as a table. */
public final class RacksCommand implements Command {
    @Override
    public String name() {
        return "racks";
    }

    @Override
    public String summary() {
        return "list the racks known to the Mixer";
    }

    @Override
    public String help() {
        return "usage: fluxrig racks " + MixerApiClient.USAGE_OPTIONS + "\n  One line per rack: name, state, last heartbeat, address, labels.";
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        Map<String, String> o = new HashMap<>();
        if (!MixerApiClient.parse(args, List.of(), o).isEmpty()) {
            console.err().println(help());
            return USAGE;
        }
        MixerApiClient.Reply r = MixerApiClient.from(o).call("GET", OperatorPaths.RACKS, null);
        if (r.status() != 200 || !(r.json() instanceof List<?> racks)) {
            console.err().println("fluxrig racks: the Mixer refused: " + r.error());
            return FAILED;
        }
        console.out().printf("%-24s %-8s %-24s %-16s %s%n", "NAME", "STATE", "LAST HEARTBEAT", "ADDRESS", "LABELS");
        for (Object x : racks) {
            Map<?, ?> m = (Map<?, ?>) x;
            long last = m.get("lastSeen") instanceof Number n ? n.longValue() : 0;
            console.out().printf("%-24s %-8s %-24s %-16s %s%n", m.get("name"), m.get("state"),
                    last == 0 ? "-" : Instant.ofEpochMilli(last).toString(), m.get("address") == null ? "-" : m.get("address"),
                    m.get("labels"));
        }
        return OK;
    }
}
