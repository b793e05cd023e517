package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.snake.api.fanout.FanOut;
import io.fluxrig.snake.api.fanout.FanOutPaths;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code commands send --to SELECTOR TYPE} and {@code commands fanout ID}: one command to every
 * rack a selector matches, and its per-rack summary (operator API {@link FanOutPaths}). Stateless;
 * {@code send} polls the summary once a second until no rack has the command queued or delivered
 * without a result (offline racks run it when they are back), or {@code --wait-s} passes.
 */
final class FanOutCommands {
    private FanOutCommands() {
    }

    /** {@code commands send --to SELECTOR TYPE [--arg K=V]...}. */
    @Command(name = "send", description = {"send one command to every rack a selector matches and wait for their results",
            "The Mixer selects the registered, unrevoked racks now (all, a rack name, or label=value[,label=value], as "
                    + "rollouts do) and queues the command for each; a rack that is offline gets it when it is back. "
                    + "Progress goes to stderr; the summary (racks per state, then each rack not done) to stdout.",
            "Exit codes: 0 every rack done, 1 a rack failed or is still offline or pending at the end of the wait, or the "
                    + "Mixer refused (no rack matches, bad type or arguments, unreachable); 2 usage."})
    static final class Send implements Callable<Integer> {
        @Option(names = "--to", required = true, paramLabel = "SELECTOR", description = "all, a rack name, or label=value[,label=value]")
        String selector;
        @Parameters(paramLabel = "TYPE", description = "the command type, e.g. renew-certificate or fetch-artifact")
        String type;
        @Option(names = "--arg", paramLabel = "K=V", description = "a command argument (repeat), e.g. --arg digest=sha256:...")
        List<String> args = List.of();
        @Option(names = "--wait-s", paramLabel = "N", defaultValue = "120",
                description = "wait at most N seconds for the racks' results (default ${DEFAULT-VALUE}; 0: queue and return)")
        int waitSeconds;
        @Option(names = "--json", description = "print the final summary as one line of JSON (no progress lines)")
        boolean json;
        @Mixin
        MixerCall mixer;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (waitSeconds < 0) {
                throw new ParameterException(spec.commandLine(), "--wait-s must be 0 or more, got " + waitSeconds);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("selector", selector);
            body.put("type", type);
            body.put("args", arguments());
            Map<?, ?> fanOut = mixer.object("POST", FanOutPaths.FANOUTS, Pretty.compact(body), 201, "fluxrig commands send: not sent: ");
            if (fanOut == null) {
                return Exit.FAILED;
            }
            Console console = mixer.console();
            String id = String.valueOf(fanOut.get("id"));
            console.err().println("fluxrig commands send: fan-out " + id + ": " + type + " to " + fanOut.get("total")
                    + " rack(s) matching '" + selector + "'");
            long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
            Map<?, ?> now = fanOut;
            String last = "";
            while (waitSeconds > 0 && !settled(now) && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                MixerApiClient.Reply s = mixer.client().call("GET", FanOutPaths.fanOut(id), null);
                if (s.status() != 200 || !(s.json() instanceof Map<?, ?> m)) {
                    console.err().println("fluxrig commands send: reading fan-out " + id + " failed: " + s.error() + " (retrying)");
                    continue;
                }
                now = m;
                String line = counts(now);
                if (!json && !line.equals(last)) {
                    console.err().println("fluxrig commands send: " + line);
                    last = line;
                }
            }
            return FanOutCommands.print(console, now, json);
        }

        private Map<String, String> arguments() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new ParameterException(spec.commandLine(), "--arg '" + a + "' must be K=V");
                }
                out.put(a.substring(0, eq), a.substring(eq + 1));
            }
            return out;
        }
    }

    /** {@code commands fanout ID}. */
    @Command(name = "fanout", description = {"show a fan-out command's summary: racks per state, then each rack not done",
            "Exit codes: 0 every rack done, 1 not yet (or a rack failed), no such fan-out, Mixer unreachable; 2 usage."})
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "the fan-out's id (printed by 'commands send')")
        String id;
        @Option(names = "--json", description = "print the summary as one line of JSON")
        boolean json;
        @Mixin
        MixerCall mixer;

        @Override
        public Integer call() throws IOException {
            Map<?, ?> m = mixer.object("GET", FanOutPaths.fanOut(id), null, 200, "fluxrig commands fanout: ");
            return m == null ? Exit.FAILED : print(mixer.console(), m, json);
        }
    }

    private static boolean settled(Map<?, ?> fanOut) {
        return count(fanOut, FanOut.QUEUED) == 0 && count(fanOut, FanOut.DELIVERED) == 0;
    }

    private static int count(Map<?, ?> fanOut, String state) {
        return fanOut.get("counts") instanceof Map<?, ?> c && c.get(state) instanceof Number n ? n.intValue() : 0;
    }

    private static String counts(Map<?, ?> fanOut) {
        StringBuilder sb = new StringBuilder();
        for (String s : FanOut.STATES) {
            sb.append(sb.length() == 0 ? "" : ", ").append(count(fanOut, s)).append(' ').append(s);
        }
        return sb.append(" (of ").append(fanOut.get("total")).append(')').toString();
    }

    /** Prints the summary; @return 0 when every rack is done, else 1 */
    static int print(Console console, Map<?, ?> fanOut, boolean json) {
        if (json) {
            console.out().println(Pretty.compact(Times.iso(fanOut)));
        } else {
            console.out().println("fan-out " + fanOut.get("id") + " (" + fanOut.get("type") + " to '" + fanOut.get("selector")
                    + "'): " + counts(fanOut));
            if (fanOut.get("racks") instanceof List<?> racks) {
                for (Object o : racks) {
                    Map<?, ?> r = (Map<?, ?>) o;
                    if (!FanOut.DONE.equals(r.get("state"))) {
                        console.out().printf("  %-24s %-9s %s%n", r.get("rack"), r.get("state"),
                                r.get("detail") == null ? "" : io.fluxrig.snake.api.LogText.escape(String.valueOf(r.get("detail"))));
                    }
                }
            }
        }
        Object total = fanOut.get("total");
        return total instanceof Number n && count(fanOut, FanOut.DONE) == n.intValue() ? Exit.OK : Exit.FAILED;
    }
}
