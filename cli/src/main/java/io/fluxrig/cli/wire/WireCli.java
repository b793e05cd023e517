package io.fluxrig.cli.wire;

import io.fluxrig.nats.trust.NatsUrls;
import io.fluxrig.nats.trust.WireSubjects;
import io.fluxrig.nats.trust.jnats.ConnectErrors;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.fluxrig.snake.api.tls.Pem;
import io.fluxrig.snake.api.tls.TlsContexts;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What the wire commands share: the {@code --server} option, the connection (one short-lived client, no
 * reconnects: an operator command fails fast and says why) and the stream lookup. The wire naming
 * (subjects, dead-letter wires and headers, the wire-name rule) is nats.trust's {@link WireSubjects},
 * the transport's own. Stateless.
 */
final class WireCli {
    static final String DEFAULT_SERVER = "nats://127.0.0.1:4222";

    private WireCli() {
    }

    /** The {@code --server URL}, {@code --creds FILE} and {@code --ca FILE} options every wire command takes (a mixin). */
    static final class ServerOption {
        @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:FLUXRIG_NATS:-" + DEFAULT_SERVER + "}",
                description = "NATS server (default ${DEFAULT-VALUE}; environment FLUXRIG_NATS); never with credentials in it")
        String server;

        @Option(names = "--creds", paramLabel = "FILE", defaultValue = "${env:FLUXRIG_NATS_CREDS}",
                description = "NATS creds file (user JWT and nkey seed; environment FLUXRIG_NATS_CREDS): `fluxrig nats` "
                        + "writes reader.creds (wires, tail) and admin.creds (wire replay) into its data folder")
        Path creds;

        @Option(names = "--ca", paramLabel = "FILE", defaultValue = "${env:FLUXRIG_NATS_CA}",
                description = "the CA of the NATS server's TLS certificate (PEM; environment FLUXRIG_NATS_CA): the connection is "
                        + "TLS, trusting only it and checking the server's name; `fluxrig nats` keeps it as tls/ca.crt in its data "
                        + "folder. Without it a tls:// URL uses the JVM's trust store and a nats:// URL is plaintext")
        Path ca;
    }

    /** @throws ParameterException naming the option when {@code wire} is not a wire name */
    static void checkWire(CommandSpec spec, String what, String wire) {
        if (!WireSubjects.validWire(wire)) {
            throw new ParameterException(spec.commandLine(), what + " '" + wire + "' is not a wire name: " + WireSubjects.WIRE_RULE);
        }
    }

    static Connection connect(ServerOption option) throws IOException {
        String server = option.server;
        try {
            NatsUrls.requireNoCredentials(server);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        Options.Builder b = Options.builder();
        if (option.creds != null) {
            if (!Files.isReadable(option.creds)) {
                throw new IOException("NATS creds file " + option.creds + " is not readable");
            }
            b.authHandler(new CredsAuthHandler(option.creds));
        }
        if (option.ca != null) {
            try {
                b.sslContext(TlsContexts.verifyingServer(Pem.readCertificate(option.ca), "a NATS server"));
            } catch (IOException | GeneralSecurityException e) {
                throw new IOException("NATS CA file " + option.ca + " (--ca) unusable: " + e.getMessage(), e);
            }
        }
        ConnectErrors errors = new ConnectErrors(); // jnats gives the reason of a refusal only to its listener
        Options o = b.server(server).connectionName("fluxrig-cli").maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(3)).noReconnect().errorListener(errors).build();
        try {
            return Nats.connect(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + server);
        } catch (IOException e) {
            throw new IOException("cannot reach NATS at " + server + " (" + errors.explain(List.of(server), e).getMessage()
                    .substring(("NATS " + server + ": ").length()) + ")", e);
        }
    }

    /** @return the stream holding the wire, or null when no stream does */
    static String streamOf(JetStreamManagement jsm, String wire) throws IOException, JetStreamApiException {
        List<String> names = jsm.getStreamNames(WireSubjects.subject(wire));
        return names.isEmpty() ? null : names.get(0);
    }
}
