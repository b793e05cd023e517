package io.fluxrig.cli.nats;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * Puts the picocli {@link NatsCommand} into the CLI's command table ({@code Main.COMMANDS}),
 * until the table itself is picocli's; then this adapter goes and {@code NatsCommand} is
 * registered as a subcommand directly.
 */
public final class NatsCli implements Command {

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public String summary() {
        return "a local JetStream server, or --cluster N servers, in the foreground (prints the client URLs)";
    }

    @Override
    public String help() {
        return new CommandLine(new NatsCommand()).setCommandName("fluxrig nats").getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
    }

    @Override
    public int run(List<String> args, Console console) {
        return new CommandLine(new NatsCommand()).setCommandName("fluxrig nats").setOut(new PrintWriter(console.out(), true))
                .setErr(new PrintWriter(console.err(), true)).execute(args.toArray(new String[0]));
    }
}
