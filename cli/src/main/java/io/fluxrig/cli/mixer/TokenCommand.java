package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code token [--rack NAME] [--labels k=v,...] [--ttl 1h]}: mints a one-time enrolment token. */
public final class TokenCommand implements Command {
    @Override
    public String name() {
        return "token";
    }

    @Override
    public String summary() {
        return "mint a one-time rack enrolment token on the Mixer";
    }

    @Override
    public String help() {
        return "usage: fluxrig token [--rack NAME] [--labels k=v,...] [--ttl 1h] " + MixerApiClient.USAGE_OPTIONS + "\n"
                + "  Prints the token and the exact command that starts the rack (with --ca-hash).";
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        Map<String, String> o = new HashMap<>();
        List<String> rest = MixerApiClient.parse(args, List.of("--rack", "--labels", "--ttl"), o);
        if (!rest.isEmpty()) {
            console.err().println("fluxrig token: unexpected " + rest + "\n" + help());
            return USAGE;
        }
        StringBuilder body = new StringBuilder("{\"ttl\":").append(MixerApiClient.quote(o.getOrDefault("--ttl", "1h")));
        if (o.containsKey("--rack")) {
            body.append(",\"rack\":").append(MixerApiClient.quote(o.get("--rack")));
        }
        body.append(",\"labels\":{");
        String sep = "";
        for (String kv : o.getOrDefault("--labels", "").split(",")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq < 1) {
                console.err().println("fluxrig token: --labels wants k=v,... (got '" + kv + "')");
                return USAGE;
            }
            body.append(sep).append(MixerApiClient.quote(kv.substring(0, eq).trim())).append(':')
                    .append(MixerApiClient.quote(kv.substring(eq + 1).trim()));
            sep = ",";
        }
        body.append("}}");
        MixerApiClient.Reply r = MixerApiClient.from(o).call("POST", OperatorPaths.TOKENS, body.toString());
        if (r.status() != 201 || !(r.json() instanceof Map<?, ?> m)) {
            console.err().println("fluxrig token: the Mixer refused: " + r.error());
            return FAILED;
        }
        console.out().println("token:   " + m.get("token"));
        console.out().println("expires: " + java.time.Instant.ofEpochMilli(((Number) m.get("expiresAt")).longValue()));
        console.out().println("start the rack with:");
        console.out().println("  " + m.get("command"));
        return OK;
    }
}
