package io.fluxrig.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.nats.local.NatsProcess;
import io.fluxrig.nats.local.tls.LocalCa;
import io.fluxrig.nats.local.tls.ServerTls;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.snake.api.tls.TlsContexts;
import java.time.Duration;
import java.util.List;
import io.fluxrig.nats.trust.jnats.ConnectErrors;
import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Options;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** NatsServer against the real nats-server binary. */
class NatsServerTest {

    @Test
    void urlReachesAJetStreamServerAndRestartsKeepTheStore() throws Exception {
        Path store;
        try (NatsServer server = NatsServer.started()) {
            store = server.store();
            assertEquals("tls://127.0.0.1:" + server.port(), server.url());
            assertTrue(server.monitorUrl().startsWith("http://127.0.0.1:"), server.monitorUrl());
            try (Connection c = server.connect()) {
                JetStreamManagement jsm = c.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("KEEP").subjects("keep").storageType(StorageType.File).build());
                c.jetStream().publish("keep", "one".getBytes(StandardCharsets.UTF_8));
            }

            server.stop();
            assertFalse(server.isRunning());
            server.start();
            assertEquals(1, storedIn(server, "KEEP"), "after SIGTERM and start");

            server.kill();
            assertFalse(server.isRunning());
            server.start();
            assertEquals(1, storedIn(server, "KEEP"), "after SIGKILL and start");
            assertTrue(Files.isDirectory(store.resolve("js")));
        }
        assertFalse(Files.exists(store), "close deletes the store");
    }

    @Test
    void anAnonymousClientIsRefusedAndEachRoleConnectsWithItsCreds() throws Exception {
        try (NatsServer server = NatsServer.started()) {
            IOException anonymous = assertThrows(IOException.class, () -> Nats.connect(new Options.Builder().server(server.url())
                    .sslContext(server.sslContext()).noReconnect().errorListener(new ErrorListener() { }).build()));
            assertTrue(anonymous.getMessage().toLowerCase().contains("authorization"), anonymous.getMessage());
            for (Role r : Role.values()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.creds(r))), r.name());
                try (Connection c = server.connect(r)) {
                    assertEquals(Connection.Status.CONNECTED, c.getStatus(), r.name());
                }
            }
        }
    }

    @Test
    void aPlaintextClientIsRefusedByTheTlsServer() throws Exception {
        try (NatsServer server = NatsServer.started()) {
            String url = "nats://127.0.0.1:" + server.port();
            String plaintext = refusal(url, new Options.Builder().server(url).authHandler(new CredsAuthHandler(server.creds(Role.ADMIN))));
            assertTrue(plaintext.startsWith("NATS " + url + ": the server requires TLS but this client has no NATS CA file set"),
                    plaintext);
        }
    }

    @Test
    void aClientTrustingAnotherCaRefusesTheServer() throws Exception {
        try (NatsServer server = NatsServer.started(); NatsServer other = NatsServer.started()) {
            String wrongCa = refusal(server.url(), new Options.Builder().server(server.url()).sslContext(other.sslContext())
                    .authHandler(new CredsAuthHandler(server.creds(Role.ADMIN))));
            assertTrue(wrongCa.startsWith("NATS " + server.url() + ": the server's TLS certificate is not signed by the CA this "
                    + "client trusts"), wrongCa);
            // The JVM's own trust store knows no fluxrig CA either: a tls:// URL alone is not enough.
            String jvmDefault = refusal(server.url(), new Options.Builder().server(server.url())
                    .authHandler(new CredsAuthHandler(server.creds(Role.ADMIN))));
            assertTrue(jvmDefault.contains("not signed by the CA this client trusts"), jvmDefault);
        }
    }

    @Test
    void theServerCertificateMustNameTheHostDialled() throws Exception {
        try (NatsServer server = NatsServer.started()) {
            try (Connection byName = Nats.connect(server.options().server("tls://localhost:" + server.port()).noReconnect().build())) {
                assertEquals(Connection.Status.CONNECTED, byName.getStatus(), "localhost is in the certificate");
            }
        }
        // A server whose certificate (same CA) names only localhost, dialled at 127.0.0.1.
        Path dir = Files.createTempDirectory("fluxrig-nats-name-");
        try {
            LocalCa ca = LocalCa.loadOrCreate(dir.resolve("ca"));
            ServerTls tls = ca.issueServer(dir.resolve("server"), List.of("localhost"), Duration.ofDays(1));
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            NatsProcess p = new NatsProcess(List.of("-c", tls.writeConfig(dir.resolve("nats.conf"), null, false).toString(),
                    "-p", Integer.toString(port), "-a", "127.0.0.1"), port, dir.resolve("nats.log"), true);
            p.start();
            try {
                String byIp = refusal(p.url(), new Options.Builder().server(p.url())
                        .sslContext(TlsContexts.verifyingServer(ca.certificate(), "a NATS server")));
                assertTrue(byIp.contains("the server's TLS certificate does not fit: the server's certificate has no subject "
                        + "alternative name for the dialled IP address 127.0.0.1 (it names [localhost])"), byIp);
            } finally {
                p.kill();
            }
        } finally {
            TempFolders.delete(dir);
        }
    }

    @Test
    void theSessionIsTls13() throws Exception {
        try (NatsServer server = NatsServer.started(); Connection c = server.connect()) {
            String connz = new String(java.net.URI.create(server.monitorUrl() + "/connz").toURL().openStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(connz.replaceAll("\\s", "").contains("\"tls_version\":\"1.3\""), connz);
        }
    }

    @Test
    void theCaKeyAndServerKeyAreOwnerOnly() throws Exception {
        try (NatsServer server = NatsServer.started()) {
            Path tls = server.caFile().getParent();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("ca.key"))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("server/server.key"))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls)));
        }
    }

    @Test
    void aPlaintextServerServesNatsUrls() throws Exception {
        try (NatsServer server = NatsServer.plaintext()) {
            server.start();
            assertEquals("nats://127.0.0.1:" + server.port(), server.url());
            assertEquals(null, server.caFile());
            try (Connection c = server.connect()) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus());
            }
        }
    }

    /** @return the message of the failed connect, explained as fluxrig's clients explain it ({@link ConnectErrors}) */
    private static String refusal(String url, Options.Builder options) {
        ConnectErrors errors = new ConnectErrors();
        IOException e = assertThrows(IOException.class, () -> Nats.connect(options.noReconnect().errorListener(errors).build()));
        return errors.explain(List.of(url), e).getMessage();
    }

    @Test
    void aFrozenServerSendsNothingUntilUnfrozen() throws Exception {
        try (NatsServer server = NatsServer.started()) {
            server.freeze();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                s.setSoTimeout(300);
                InputStream in = s.getInputStream();
                assertThrows(SocketTimeoutException.class, in::read, "no INFO from a frozen server");
                server.unfreeze();
                s.setSoTimeout(10_000);
                byte[] info = in.readNBytes(4);
                assertEquals("INFO", new String(info, StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void aFailedStartQuotesTheServerLog() throws Exception {
        try (NatsServer server = new NatsServer();
                ServerSocket squatter = new ServerSocket(server.port(), 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
            assertTrue(e.getMessage().contains("its log:") && e.getMessage().contains("address already in use"),
                    "the message quotes the server's own error: " + e.getMessage());
            assertFalse(server.isRunning());
        }
    }

    private static long storedIn(NatsServer server, String stream) throws Exception {
        try (Connection c = server.connect()) {
            return c.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
        }
    }
}
