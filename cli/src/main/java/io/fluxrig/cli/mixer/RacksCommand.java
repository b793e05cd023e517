package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code racks}: the Mixer's rack registry as a table, or JSON, filtered by state and labels;
 * every matching rack (page after page of the API), or one page with {@code --limit};
 * {@code racks revoke} below it.
 */
@Command(name = "racks", description = {"list the racks known to the Mixer",
        "One line per rack: name, state, messages per second in and out, error %% and p99 processing time in ms "
                + "(from its latest heartbeat's summary, '-' while it has none or is not online), last heartbeat "
                + "(ISO 8601 UTC), address, labels; sorted by name. Every "
                + "matching rack is listed (the CLI follows the API's pages), or one page with --limit (the line after "
                + "the table names the --after of the next page).",
        "With --json: one line of JSON, {\"total\":N,\"counts\":{STATE:N},\"racks\":[...],\"next\":NAME|null} "
                + "(times as ISO 8601; each online rack's \"summary\": intervalMillis, inPerSecond, outPerSecond, errorRate (a "
                + "fraction), p99Millis and per gear instance \"gears\"; racks without their inventory: see 'rack-info').",
        MixerApiOptions.ENVIRONMENT},
        subcommands = RacksRevokeCommand.class)
public final class RacksCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print the page as one line of JSON (for scripts)")
    boolean json;
    @Option(names = "--state", paramLabel = "S[,S]", description = "only racks in these states (pending, online, offline, revoked)")
    String state;
    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "only racks with this label (repeatable: every one must match)")
    List<String> labels = new ArrayList<>();
    @Option(names = "--limit", paramLabel = "N", description = "one page of at most N racks (1 to " + OperatorPaths.MAX_LIMIT
            + ") instead of all")
    Integer limit;
    @Option(names = "--after", paramLabel = "NAME", description = "start after this rack name (the 'next' of the previous page)")
    String after;
    @Mixin
    MixerApiOptions apiOptions;

    private final Console console;

    RacksCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        MixerApiClient client = apiOptions.client(console);
        List<Object> racks = new ArrayList<>();
        Object total = null;
        Object counts = Map.of();
        String cursor = after;
        String next;
        do {
            MixerApiClient.Reply r = client.call("GET", path(cursor), null);
            if (r.status() != 200 || !(r.json() instanceof Map<?, ?> page) || !(page.get("racks") instanceof List<?> some)) {
                console.err().println("fluxrig racks: the Mixer refused: " + r.error());
                return Exit.FAILED;
            }
            racks.addAll(some);
            total = page.get("total");
            counts = page.get("counts");
            next = page.get("next") instanceof String s ? s : null;
            cursor = next;
        } while (limit == null && next != null);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("total", total);
            out.put("counts", counts);
            out.put("racks", racks);
            out.put("next", limit == null ? null : next);
            console.out().println(Pretty.compact(Times.iso(out)));
            return Exit.OK;
        }
        String format = "%-24s %-8s %9s %9s %6s %8s %-24s %-16s %s%n";
        console.out().printf(format, "NAME", "STATE", "IN/S", "OUT/S", "ERR%", "P99 MS", "LAST HEARTBEAT", "ADDRESS", "LABELS");
        for (Object x : racks) {
            Map<?, ?> m = (Map<?, ?>) x;
            long last = m.get("lastSeen") instanceof Number n ? n.longValue() : 0;
            Map<?, ?> s = m.get("summary") instanceof Map<?, ?> sm ? sm : Map.of();
            console.out().printf(format, m.get("name"), m.get("state"), number(s.get("inPerSecond"), 1, "%.1f"),
                    number(s.get("outPerSecond"), 1, "%.1f"), number(s.get("errorRate"), 100, "%.2f"),
                    number(s.get("p99Millis"), 1, "%.2f"), last == 0 ? "-" : Times.iso(last),
                    m.get("address") == null ? "-" : m.get("address"), m.get("labels"));
        }
        if (limit != null && next != null) {
            console.out().println(racks.size() + " of " + total + " racks; next page: --after " + next);
        }
        return Exit.OK;
    }

    private String path(String cursor) {
        StringBuilder p = new StringBuilder(OperatorPaths.RACKS).append('?').append(OperatorPaths.LIMIT).append('=')
                .append(limit == null ? OperatorPaths.MAX_LIMIT : limit);
        if (state != null) {
            p.append('&').append(OperatorPaths.STATE).append('=').append(enc(state));
        }
        for (String l : labels) {
            p.append('&').append(OperatorPaths.LABEL).append('=').append(enc(l));
        }
        if (cursor != null) {
            p.append('&').append(OperatorPaths.AFTER).append('=').append(enc(cursor));
        }
        return p.toString();
    }

    /** @return a summary figure times {@code scale}, formatted, or "-" when the summary has none */
    private static String number(Object v, double scale, String format) {
        return v instanceof Number n ? String.format(java.util.Locale.ROOT, format, n.doubleValue() * scale) : "-";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
