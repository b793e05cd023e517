package io.fluxrig.cli.launch;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The demo's seven ports (a picocli mixin for {@code demo}): each on its own, or all from
 * {@code --base-port P} as P..P+6. Filled in by picocli on the command's thread, read once by
 * {@link #ports}.
 */
final class DemoPortOptions {
    @Option(names = "--base-port", paramLabel = "P", description = "use ports P..P+6 (NATS, issuer, ISO, edge console, core console, Snake, API)")
    Integer basePort;
    @Option(names = "--nats-port", paramLabel = "P", defaultValue = "14222", description = "default ${DEFAULT-VALUE}")
    int natsPort;
    @Option(names = "--issuer-port", paramLabel = "P", defaultValue = "18080", description = "default ${DEFAULT-VALUE}")
    int issuerPort;
    @Option(names = "--iso-port", paramLabel = "P", defaultValue = "8583", description = "default ${DEFAULT-VALUE}")
    int isoPort;
    @Option(names = "--edge-console-port", paramLabel = "P", defaultValue = "8181", description = "default ${DEFAULT-VALUE}")
    int edgeConsolePort;
    @Option(names = "--core-console-port", paramLabel = "P", defaultValue = "8182", description = "default ${DEFAULT-VALUE}")
    int coreConsolePort;
    @Option(names = "--mixer-snake-port", paramLabel = "P", defaultValue = "14443", description = "default ${DEFAULT-VALUE}")
    int mixerSnakePort;
    @Option(names = "--mixer-api-port", paramLabel = "P", defaultValue = "18443", description = "default ${DEFAULT-VALUE}")
    int mixerApiPort;

    /** @return the ports, from --base-port when given; a port out of range is refused, naming it */
    DemoCommand.Ports ports(CommandSpec spec) {
        DemoCommand.Ports ports;
        if (basePort != null) {
            check(spec, basePort > 0 && basePort < 65529, "--base-port " + basePort + " is not a port (1..65528)");
            int p = basePort;
            ports = new DemoCommand.Ports(p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6);
        } else {
            ports = new DemoCommand.Ports(natsPort, issuerPort, isoPort, edgeConsolePort, coreConsolePort, mixerSnakePort, mixerApiPort);
        }
        for (int p : ports.all()) {
            check(spec, p > 0 && p < 65536, "port " + p + " is not a port (1..65535)");
        }
        return ports;
    }

    private static void check(CommandSpec spec, boolean ok, String problem) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }
}
