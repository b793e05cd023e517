package io.fluxrig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fluxrig command line. Sub-commands live in a table ({@link #COMMANDS}); the longest command
 * name matching the leading arguments wins, so {@code msg encode --hex} runs {@code msg encode}
 * with {@code [--hex]}. Only {@link #main(String[])} exits the JVM; {@link #run} returns the code.
 */
public final class Main {
    /** The command table: add a command by adding its instance here. */
    static final List<Command> COMMANDS = List.of(
            new MsgEncodeCommand(),
            new MsgDecodeCommand(),
            new MsgSampleCommand(),
            new io.fluxrig.cli.console.ConsoleCredentialsCommand(new java.security.SecureRandom()),
            new io.fluxrig.cli.iso.IsoDecodeCommand(),
            new io.fluxrig.cli.iso.IsoEncodeCommand(),
            new io.fluxrig.cli.iso.IsoSendCommand(),
            new io.fluxrig.cli.issuer.IssuerCommand(),
            new io.fluxrig.cli.wire.TailCommand(),
            new io.fluxrig.cli.wire.WiresCommand(),
            new io.fluxrig.cli.wire.WireReplayCommand(),
            new io.fluxrig.cli.nats.NatsCli(),
            new io.fluxrig.cli.mixer.TokenCommand(),
            new io.fluxrig.cli.mixer.RacksCommand(),
            new io.fluxrig.cli.mixer.RackInfoCommand(),
            new io.fluxrig.cli.mixer.RacksRevokeCommand(),
            new io.fluxrig.cli.mixer.DeployCommand());

    private Main() {
    }

    /** @param args command line arguments */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * @param args command line arguments
     * @param in standard input
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Console console = new Console(in, out, err);
        List<String> words = Arrays.asList(args);
        Command best = null;
        int bestWords = 0;
        for (Command c : COMMANDS) {
            List<String> name = Arrays.asList(c.name().split(" "));
            if (name.size() > bestWords && words.size() >= name.size() && words.subList(0, name.size()).equals(name)) {
                best = c;
                bestWords = name.size();
            }
        }
        if (best == null) {
            return usage(words, console);
        }
        List<String> rest = words.subList(bestWords, words.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(best.help());
            return Command.OK;
        }
        try {
            int code = best.run(rest, console);
            out.flush();
            return code;
        } catch (IOException e) {
            err.println("fluxrig " + best.name() + ": " + e.getMessage());
            return Command.FAILED;
        }
    }

    private static int usage(List<String> words, Console console) {
        boolean asked = words.isEmpty() || words.contains("--help") || words.contains("-h")
                || words.size() == 1 && isGroup(words.get(0));
        String prefix = words.isEmpty() || !isGroup(words.get(0)) ? "" : words.get(0) + " ";
        PrintStream to = asked ? console.out() : console.err();
        if (!asked) {
            to.println("fluxrig: unknown command: " + String.join(" ", words));
        }
        to.println("usage: fluxrig <command> [options]   (fluxrig <command> --help for details)");
        List<Command> listed = new ArrayList<>();
        for (Command c : COMMANDS) {
            if (c.name().startsWith(prefix)) {
                listed.add(c);
            }
        }
        for (Command c : listed) {
            to.printf("  %-14s %s%n", c.name(), c.summary());
        }
        return asked ? Command.OK : Command.USAGE;
    }

    private static boolean isGroup(String word) {
        return COMMANDS.stream().anyMatch(c -> c.name().startsWith(word + " "));
    }
}
