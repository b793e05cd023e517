package io.fluxrig.cli.launch;

import io.fluxrig.cli.Console;
import io.fluxrig.nats.trust.Creds;
import io.fluxrig.nats.trust.NatsTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mixer}: starts the control plane in the foreground. */
@Command(name = "mixer", description = {"start the Mixer (the control plane) in the foreground (Ctrl-C or SIGTERM stops it)",
        "The Mixer keeps the rack registry on NATS (JetStream KV), enrols racks over the Snake (mTLS, its own CA in "
                + "DATA/ca.crt) and serves the operator API and its Web Console over HTTPS on --api-port.",
        "At first start it writes the operator token to DATA/operator.token (mode 0600; it keeps only its hash): point "
                + "the operator commands at it with 'fluxrig context add NAME --api https://127.0.0.1:PORT --data DATA --use'. "
                + "When ready it prints 'fluxrig mixer ready: ...' and writes DATA/mixer.ready.",
        "The Mixer runs in DATA: its settings are DATA/etc/fluxrig.mixer.cfg, written from these options at first start "
                + "; afterwards the file is the setting (edit it there), and an option given again with another value changes its "
                + "one line.",
        JvmLaunch.ENVIRONMENT})
public final class MixerCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mixer", description = "its data folder (default ./${DEFAULT-VALUE})")
    Path data;
    @Option(names = "--nats", paramLabel = "URL", description = "NATS with JetStream (default nats://127.0.0.1:4222)")
    String nats;
    @Option(names = "--nats-creds", paramLabel = "FILE", description = "the Mixer's NATS creds file (a user of the Mixer's "
            + "account; 'fluxrig nats' writes DATA/creds/mixer.creds): copied to <data>/nats/mixer.creds (0600), where the Mixer reads it")
    Path natsCreds;
    @Option(names = "--nats-ca", paramLabel = "FILE", description = "the CA of the NATS servers' TLS certificates (PEM; "
            + "'fluxrig nats' keeps it as DATA/tls/ca.crt): copied to <data>/nats/ca.crt, where the Mixer reads it; its NATS "
            + "connections are then TLS, trusting only that CA")
    Path natsCa;
    @Option(names = "--nats-trust", paramLabel = "DIR", description = "the NATS root of trust ('fluxrig nats' keeps it in "
            + "DATA/trust), or a signer folder made from it: only its signing keys (operator, system and wires accounts) and "
            + "public keys are copied to <data>/nats/trust (0600), never the operator's or accounts' identity seeds; the Mixer "
            + "signs each rack's NATS credential at enrolment and revokes it with the rack")
    Path natsTrust;
    @Option(names = "--snake-port", paramLabel = "P", description = "the Snake's port (default 7443)")
    Integer snakePort;
    @Option(names = "--api-host", paramLabel = "H", description = "the operator API's bind address (default 127.0.0.1)")
    String apiHost;
    @Option(names = "--api-port", paramLabel = "P", description = "the operator API's and Web Console's HTTPS port (default 8443)")
    Integer apiPort;
    @Option(names = "--console-port", paramLabel = "P", hidden = true, description = "ignored: the Web Console is served with the API")
    Integer consolePort;
    @Option(names = "--hosts", paramLabel = "h1,ip1", description = "names and addresses in the Mixer's server certificate")
    String hosts;
    @Option(names = "--advertise", paramLabel = "HOST:PORT", description = "the Snake address racks dial, printed by 'fluxrig token'")
    String advertise;
    /** --console-user, --console-password-file. */
    @Mixin
    ConsoleLoginOptions consoleLogin;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--print-command", paramLabel = "FILE", hidden = true, description = "write the JVM command line NUL-separated to FILE "
            + "(run/fluxrig execs it)")
    Path printCommand;

    private final Console console;

    MixerCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        if (consolePort != null) {
            console.err().println("fluxrig mixer: --console-port is ignored: the Web Console is served with the API (--api-port)");
        }
        String consolePassword = consoleLogin.password(spec);
        OwnerOnly.folder(data); // before the NATS credentials and keys go in
        if (natsCreds != null) {
            Path to = data.resolve("nats").resolve("mixer.creds");
            Creds.read(natsCreds).write(to); // validated, 0600, atomic
        }
        if (natsCa != null) {
            copyNatsCa(natsCa, data.resolve("nats").resolve("ca.crt"));
        }
        if (natsTrust != null) {
            // validated (every seed present and of its role); the identity seeds stay where the operator keeps them
            NatsTrust.load(natsTrust).writeSigner(data.resolve("nats").resolve("trust"));
        }
        JvmLaunch.Mixer m = new JvmLaunch.Mixer(data.toAbsolutePath().normalize(), nats, snakePort, apiHost, apiPort, hosts, advertise,
                consoleLogin.user(), consolePassword);
        StartLine command = JvmLaunch.mixer(Layout.locate(console.env()), m, List.of(), console.env());
        return JvmRun.run(command, printCommand);
    }

    /**
     * Copies a NATS CA certificate where a Mixer reads it, after checking it is one.
     *
     * @throws IOException naming the file when it is unreadable or holds no PEM certificate
     */
    static void copyNatsCa(Path from, Path to) throws IOException {
        try {
            io.fluxrig.snake.api.tls.Pem.readCertificate(from);
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IOException("--nats-ca " + from + ": not a readable PEM certificate (" + e.getMessage() + ")", e);
        }
        java.nio.file.Files.createDirectories(to.getParent());
        java.nio.file.Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
