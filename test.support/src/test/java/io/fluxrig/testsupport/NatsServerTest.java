package io.fluxrig.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.nats.trust.Role;
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
            assertEquals("nats://127.0.0.1:" + server.port(), server.url());
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
                    .noReconnect().errorListener(new ErrorListener() { }).build()));
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
