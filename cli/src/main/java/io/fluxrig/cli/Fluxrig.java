package io.fluxrig.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: lists the commands; {@code --help} is inherited by every subcommand. */
@Command(name = "fluxrig",
        description = {"The fluxrig command line: racks, the Mixer, the demo, envelopes, ISO 8583, wires, the Mixer's operator API.",
                "Run 'fluxrig COMMAND --help' for a command's options, defaults and environment."},
        subcommands = {MsgGroup.class, io.fluxrig.cli.iso.IsoGroup.class, io.fluxrig.cli.wire.TailCommand.class,
                io.fluxrig.cli.wire.WiresCommand.class, io.fluxrig.cli.wire.WireGroup.class,
                io.fluxrig.cli.mixer.ContextCommand.class, io.fluxrig.cli.mixer.TokenCommand.class, io.fluxrig.cli.mixer.OperatorTokenCommand.class,
                io.fluxrig.cli.mixer.RacksCommand.class, io.fluxrig.cli.mixer.RackInfoCommand.class,
                io.fluxrig.cli.mixer.DeployCommand.class, io.fluxrig.cli.mixer.RolloutCommand.class,
                io.fluxrig.cli.mixer.PlanCommand.class, io.fluxrig.cli.mixer.ApplyCommand.class,
                io.fluxrig.cli.mixer.CommandsCommand.class,
                io.fluxrig.cli.release.ReleaseGroup.class,
                io.fluxrig.cli.issuer.IssuerCommand.class,
                io.fluxrig.cli.console.ConsoleCredentialsCommand.class, io.fluxrig.cli.launch.RackCommand.class,
                io.fluxrig.cli.launch.MixerCommand.class, io.fluxrig.cli.launch.DemoCommand.class,
                io.fluxrig.cli.launch.TestReportCommand.class, io.fluxrig.cli.nats.NatsCommand.class,
                io.fluxrig.cli.nats.NatsTrustGroup.class},
        footer = {"", "Exit codes: 0 ok, 1 the work failed or the input was rejected, 2 wrong usage."})
public final class Fluxrig extends Group {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "print this help and do nothing else")
    boolean help;

    Fluxrig(Console console) {
        super(console);
    }
}
