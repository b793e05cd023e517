package io.fluxrig.cli.launch;

import io.fluxrig.cli.Console;
import io.fluxrig.snake.api.RackNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rack}: starts one rack (a Felix framework with the gears) in the foreground. */
@Command(name = "rack", description = {"start a rack in the foreground (Ctrl-C or SIGTERM stops it cleanly)",
        "Starts rack NAME: the Felix framework with the rack runtime, the wire transport and (unless --base) the gear "
                + "bundles. Gears and their configuration come from the patch file (default DATA/patch.yaml), bundles "
                + "dropped into DATA/gears, or the Mixer (--mixer). Once the first patch is applied it prints "
                + "'fluxrig rack NAME ready: console URL ...' and writes DATA/rack.ready.",
        "The Web Console (http://127.0.0.1:PORT/system/console) needs the console user: given, or generated at first "
                + "start and printed once; only its hash is stored (DATA/console.credentials).",
        "The rack runs in DATA: its settings are configuration files in DATA/etc (io.fluxrig.rack.cfg, "
                + "org.apache.felix.http.cfg, io.fluxrig.rack.snake.cfg with --mixer), written from these options at first "
                + "start; afterwards the files are the settings (edit them there), and an option given again with another value "
                + "changes its one line.",
        "Environment: FLUXRIG_JAVA_OPTS (extra JVM options)."})
public final class RackCommand implements Callable<Integer> {
    @Option(names = "--name", paramLabel = "NAME", required = true, description = "the rack's name: " + RackNames.RULE)
    String name;
    @Option(names = "--base", description = "no gear bundles in the rack: they come from the Mixer or DATA/gears")
    boolean base;
    @Option(names = "--data", paramLabel = "DIR", description = "its data folder (default ./data/racks/NAME)")
    Path data;
    @Option(names = "--patch", paramLabel = "FILE", description = "the patch file (default DATA/patch.yaml)")
    Path patch;
    @Option(names = "--console-port", paramLabel = "P", description = "the Web Console's HTTP port (default 8181; "
            + "written at first start to DATA/etc/org.apache.felix.http.cfg)")
    Integer consolePort;
    @Option(names = "--console-user", paramLabel = "U", description = "the console user (default: the stored one, else 'fluxrig')")
    String consoleUser;
    @Option(names = "--console-password", paramLabel = "P", description = "the console password, at least 8 characters (default: stored or generated)")
    String consolePassword;
    @Option(names = "--mixer", paramLabel = "HOST:PORT", description = "enrol with and be managed by the Mixer at this Snake address")
    String mixer;
    @Option(names = "--token", paramLabel = "T", description = "the one-time enrolment token (fluxrig token); ignored once enrolled")
    String token;
    @Option(names = "--ca-hash", paramLabel = "sha256:HEX", description = "the Mixer CA's hash the token command printed")
    String caHash;
    @Option(names = "--token-file", paramLabel = "FILE", description = "the output of 'fluxrig token --json' (token and CA hash), "
            + "instead of --token and --ca-hash: the token then appears in no command line")
    Path tokenFile;
    @Option(names = "--heartbeat-ms", paramLabel = "N", description = "Snake heartbeat period")
    Integer heartbeatMs;
    @Option(names = "--renew-percent", paramLabel = "N", description = "renew the rack certificate after N%% of its lifetime")
    Integer renewPercent;
    @Option(names = "--download-kbps", paramLabel = "N", description = "cap on artifact downloads from the Mixer")
    Integer downloadKbps;
    @Option(names = "--print-command", hidden = true, description = "print the JVM command line NUL-separated (run/fluxrig execs it)")
    boolean printCommand;
    @Spec
    CommandSpec spec;

    private final Console console;

    RackCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        if (!RackNames.valid(name)) {
            throw new ParameterException(spec.commandLine(), "--name: name '" + name + "' must match the rack-name rule: "
                    + RackNames.problem(name));
        }
        if (consolePort != null && (consolePort < 1 || consolePort > 65535)) {
            throw new ParameterException(spec.commandLine(), "--console-port " + consolePort + " is not a port (1..65535)");
        }
        if ((token != null || caHash != null || tokenFile != null) && mixer == null) {
            throw new ParameterException(spec.commandLine(), (token != null ? "--token" : caHash != null ? "--ca-hash" : "--token-file")
                    + " goes with --mixer HOST:PORT");
        }
        if (tokenFile != null) {
            if (token != null || caHash != null) {
                throw new ParameterException(spec.commandLine(), "--token-file replaces --token and --ca-hash: give one or the other");
            }
            String[] t = TokenFile.read(tokenFile);
            token = t[0];
            caHash = t[1];
        }
        if (patch != null && !Files.isRegularFile(patch)) {
            throw new ParameterException(spec.commandLine(), "--patch " + patch + " does not exist");
        }
        Path dir = (data != null ? data : Path.of("data", "racks", name)).toAbsolutePath().normalize();
        JvmLaunch.Rack r = new JvmLaunch.Rack(name, base, dir, patch == null ? null : patch.toAbsolutePath().normalize(), consolePort,
                consoleUser, consolePassword, mixer, token, caHash, heartbeatMs, renewPercent, downloadKbps);
        StartLine command = JvmLaunch.rack(Layout.locate(console.env()), r, List.of(), console.env());
        return JvmRun.run(command, printCommand, console);
    }
}
