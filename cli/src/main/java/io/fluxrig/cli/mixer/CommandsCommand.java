package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Group;
import io.fluxrig.snake.api.OperatorPaths;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code commands list|cancel}: a rack's command queue on the Mixer (operator API
 * {@link OperatorPaths#commands} and {@link OperatorPaths#cancel}); {@code commands send|fanout}:
 * one command to many racks ({@link FanOutCommands}). Stateless.
 */
@Command(name = "commands", description = {"send a command to the racks a selector matches; list or withdraw a rack's commands",
        "list: one line per command, oldest first (id, type, state, deliveries, detail); cancel: withdraw a command the rack "
                + "has not taken yet (an offline rack's queued deploy, for instance). A command already handed to the rack "
                + "is not cancelled: it may be running there, and its result will be recorded. send: one command to every rack a "
                + "selector matches (all, a rack name, label=value), waiting for the racks' results; fanout: its summary "
                + "again. Every subcommand takes --json.",
        MixerApiOptions.ENVIRONMENT},
        subcommands = {CommandsCommand.ListAll.class, CommandsCommand.Cancel.class, FanOutCommands.Send.class,
                FanOutCommands.Show.class})
public final class CommandsCommand extends Group {
    CommandsCommand(Console console) {
        super(console);
    }

    /** {@code commands list RACK}. */
    @Command(name = "list", description = {"list a rack's commands, oldest first",
            "Exit codes: 0 listed, 1 refused (no such rack, Mixer unreachable), 2 usage."})
    static final class ListAll implements Callable<Integer> {
        @Parameters(paramLabel = "RACK", description = "the rack")
        String rack;
        @Option(names = "--json", description = "print the commands as one line of JSON")
        boolean json;
        @Mixin
        MixerCall mixer;

        @Override
        public Integer call() throws IOException {
            List<?> l = mixer.list(OperatorPaths.commands(rack), "fluxrig commands list: the Mixer refused: ");
            if (l == null) {
                return Exit.FAILED;
            }
            Console console = mixer.console();
            if (json) {
                console.out().println(Pretty.compact(Times.iso(l)));
                return Exit.OK;
            }
            for (Object o : l) {
                Map<?, ?> c = (Map<?, ?>) o;
                console.out().printf("%s  %-17s %-9s delivered %sx  %s%n", c.get("id"), c.get("type"), c.get("state"),
                        c.get("deliveries"), c.get("detail") == null ? "" : c.get("detail"));
            }
            return Exit.OK;
        }
    }

    /** {@code commands cancel RACK ID}. */
    @Command(name = "cancel", description = {"withdraw a queued command the rack has not taken yet",
            "Exit codes: 0 cancelled (or cancelled before), 1 refused: the rack took it or answered it already, no such "
                    + "command, Mixer unreachable; 2 usage."})
    static final class Cancel implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RACK", description = "the rack")
        String rack;
        @Parameters(index = "1", paramLabel = "ID", description = "the command's id (see 'commands list')")
        String id;
        @Option(names = "--json", description = "print the command as one line of JSON")
        boolean json;
        @Mixin
        MixerCall mixer;

        @Override
        public Integer call() throws IOException {
            Map<?, ?> m = mixer.object("POST", OperatorPaths.cancel(rack, id), null, 200, "fluxrig commands cancel: not cancelled: ");
            if (m == null) {
                return Exit.FAILED;
            }
            mixer.console().out().println(json ? Pretty.compact(Times.iso(m)) : "command " + id + " (" + m.get("type") + ") for rack " + rack
                    + " cancelled: the rack never gets it");
            return Exit.OK;
        }
    }
}
