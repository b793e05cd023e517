package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Main;
import io.fluxrig.nats.local.tls.LocalCa;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fluxrig rack --nats --nats-ca}: the wire transport's connection as the rack's etc/ file, the CA checked first, the file
 * written only once the launcher found no rack running in the folder.
 */
class RackNatsOptionsTest {
    @TempDir
    Path root;

    private int rack(ByteArrayOutputStream err, String... args) throws Exception {
        Files.createDirectories(root.resolve("run/target"));
        Files.writeString(root.resolve("run/target/rack-base.jar"), "jar");
        String[] all = new String[args.length + 1];
        all[0] = "rack";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(all, new Console(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FLUXRIG_HOME", root.toString())));
    }

    @Test
    void theNatsServersCaAndCredsGoToTheWireConfigurationFile() throws Exception {
        Path ca = LocalCa.loadOrCreate(root.resolve("nats/tls")).certificateFile();
        Path data = root.resolve("racks/edge");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, rack(err, "--name", "edge", "--base", "--data", data.toString(), "--nats", "tls://127.0.0.1:4222",
                "--nats-ca", ca.toString(), "--mixer", "127.0.0.1:7443", "--print-command", root.resolve("argv").toString()), err.toString());
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(data.resolve("etc/fluxrig.wire.jetstream.cfg"))) {
            p.load(r);
        }
        assertEquals(Map.of("servers", "tls://127.0.0.1:4222", "tls.ca.file", ca.toAbsolutePath().toString(), "credentials.file",
                data.resolve("snake/nats.creds").toString(), "connection.name", "edge"), Map.copyOf(p), "with --mixer: the enrolment's creds");
    }

    @Test
    void aCaFileThatIsNoCertificateIsRefusedNamingTheOption() throws Exception {
        Path notCa = Files.writeString(root.resolve("ca.crt"), "not a certificate\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, rack(err, "--name", "edge", "--base", "--data", root.resolve("racks/edge").toString(), "--nats",
                "tls://127.0.0.1:4222", "--nats-ca", notCa.toString(), "--print-command", root.resolve("argv").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--nats-ca " + notCa + ": not a readable PEM certificate"), err.toString());
        assertTrue(!Files.exists(root.resolve("racks/edge/etc/fluxrig.wire.jetstream.cfg")), "nothing written");
        assertTrue(!Files.exists(root.resolve("racks/edge/etc")), "nothing at all: refused before the launcher");
    }

    /**
     * Started again on a folder whose rack still runs (its console port taken), with other wire and
     * telemetry settings: refused, and the running rack's files are not edited (it would follow them).
     */
    @Test
    void aRunningRacksFolderKeepsItsWireAndTelemetryFiles() throws Exception {
        Path ca = LocalCa.loadOrCreate(root.resolve("nats/tls")).certificateFile();
        Path data = root.resolve("racks/edge");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ServerSocket console = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(console.getLocalPort());
            assertEquals(1, rack(err, "--name", "edge", "--base", "--data", data.toString(), "--console-port", port, "--nats",
                    "tls://127.0.0.1:4222", "--nats-ca", ca.toString(), "--otlp", "http://127.0.0.1:4318", "--print-command",
                    root.resolve("argv").toString()), err.toString());
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is in use (org.osgi.service.http.port in "), err.toString());
        assertTrue(!Files.exists(data.resolve("etc/fluxrig.wire.jetstream.cfg")) && !Files.exists(data.resolve("etc/fluxrig.telemetry.cfg")),
                "no settings file written");
    }
}
