package io.fluxrig.nats.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.nats.trust.jnats.CredsAuthHandler;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JWTs, creds and server configuration against a real nats-server 2.9 in operator mode
 * (started here directly: nats.local, which starts servers for everyone else, builds on this module).
 */
class NatsTrustServerTest {
    private Path dir;
    private Process server;
    private int port;
    private NatsTrust trust;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("fluxrig-trust-");
        trust = NatsTrust.loadOrCreate(dir.resolve("trust"));
        Path conf = trust.writeServerConfig(dir.resolve("server/auth.conf"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        server = new ProcessBuilder("nats-server", "-c", conf.toString(), "-js", "-sd", dir.resolve("js").toString(), "-p",
                Integer.toString(port), "-a", "127.0.0.1").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nats.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("nats-server did not start: " + Files.readString(dir.resolve("nats.log")));
                }
                Thread.sleep(20);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.destroyForcibly().waitFor();
        try (var w = Files.walk(dir)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private Connection connect(Role role) throws Exception {
        Path creds = trust.writeCreds(role, role.name().toLowerCase(), Duration.ofHours(1), dir.resolve(role + ".creds"));
        return Nats.connect(options().authHandler(new CredsAuthHandler(creds)).build());
    }

    private Options.Builder options() {
        return new Options.Builder().server("nats://127.0.0.1:" + port).noReconnect().connectionTimeout(Duration.ofSeconds(5))
                .errorListener(new io.nats.client.ErrorListener() { });
    }

    @Test
    void seedsAndCredsAreOwnerOnlyAndKeptAcrossLoads() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("trust"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("trust/operator.nk"))));
        Path creds = trust.writeCreds(Role.RACK, "r", null, dir.resolve("r.creds"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(creds)));
        assertEquals(trust.operatorPublicKey(), NatsTrust.loadOrCreate(dir.resolve("trust")).operatorPublicKey());
        String jwt = trust.accountJwt(NatsTrust.Account.WIRES);
        assertTrue(Jwt.signedBy(jwt, trust.operatorSigningKey()), "account JWTs are signed by the operator signing key");
        assertTrue(Jwt.signedBy(trust.operatorJwt(), trust.operatorPublicKey()), "the operator JWT by the operator itself");
        assertTrue(Jwt.claimsJson(trust.operatorJwt()).contains("\"signing_keys\":[\"" + trust.operatorSigningKey() + "\"]"));
        assertTrue(Jwt.claimsJson(jwt).contains("\"sub\":\"" + trust.accountPublicKey(NatsTrust.Account.WIRES) + "\""));
    }

    @Test
    void anonymousConnectIsRefused() {
        IOException e = assertThrows(IOException.class, () -> Nats.connect(options().build()));
        assertTrue(e.getMessage().toLowerCase().contains("authorization"), e.getMessage());
    }

    @Test
    void aUserOfAnotherOperatorIsRefused() throws Exception {
        NatsTrust other = NatsTrust.loadOrCreate(dir.resolve("other"));
        Path creds = other.writeCreds(Role.ADMIN, "intruder", null, dir.resolve("intruder.creds"));
        assertThrows(IOException.class, () -> Nats.connect(options().authHandler(new CredsAuthHandler(creds)).build()));
    }

    @Test
    void jetStreamWorksInBothAccountsAndTheyAreApart() throws Exception {
        try (Connection mixer = connect(Role.MIXER); Connection rack = connect(Role.RACK)) {
            mixer.keyValueManagement().create(KeyValueConfiguration.builder().name("fluxrig_mixer_tokens")
                    .storageType(StorageType.File).build());
            KeyValue kv = mixer.keyValue("fluxrig_mixer_tokens");
            kv.put("t", "v".getBytes(StandardCharsets.UTF_8));
            assertEquals("v", new String(kv.get("t").getValue(), StandardCharsets.UTF_8));

            rack.jetStreamManagement().addStream(StreamConfiguration.builder().name("WIRE_x").subjects("fluxrig.wire.x")
                    .storageType(StorageType.File).build());
            rack.jetStream().publish("fluxrig.wire.x", "m".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("WIRE_x"), rack.jetStreamManagement().getStreamNames(), "the rack sees only the wires account");
            assertFalse(mixer.jetStreamManagement().getStreamNames().contains("WIRE_x"));
            assertThrows(JetStreamApiException.class, () -> rack.jetStreamManagement().getStreamInfo("KV_fluxrig_mixer_tokens"),
                    "the Mixer's bucket does not exist in the rack's account");
        }
    }

    /**
     * The operator keeps its identity offline: a signer folder (what the Mixer gets) holds no
     * operator or account identity seed, cannot make an operator JWT, and still signs users the
     * server accepts (account signing key) and account updates it applies (operator signing key).
     */
    @Test
    void aSignerFolderWithoutIdentitySeedsSignsUsersAndAccountUpdatesTheServerAccepts() throws Exception {
        Path signerDir = trust.writeSigner(dir.resolve("mixer-trust"));
        NatsTrust signer = NatsTrust.load(signerDir);
        assertFalse(signer.holdsOperatorIdentity());
        assertThrows(IllegalStateException.class, signer::operatorJwt);
        assertThrows(IOException.class, () -> NatsTrust.loadOrCreate(signerDir), "a signer folder never becomes a root of trust");
        List<String> identities = new java.util.ArrayList<>();
        identities.add(Files.readString(dir.resolve("trust/operator.nk")).trim());
        for (NatsTrust.Account a : NatsTrust.Account.values()) {
            identities.add(Files.readString(dir.resolve("trust").resolve(a.file())).trim());
        }
        try (var files = Files.walk(signerDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                for (String seed : identities) {
                    assertFalse(text.contains(seed), f + " holds an identity seed");
                }
                if (f.getFileName().toString().endsWith(".nk")) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
                }
            }
        }

        Path rackCreds = signer.writeCreds(Role.RACK, "rack", Duration.ofHours(1), dir.resolve("signed-rack.creds"));
        String claims = Jwt.claimsJson(Creds.read(rackCreds).jwt());
        assertTrue(Jwt.signedBy(Creds.read(rackCreds).jwt(), trust.accountSigningKey(NatsTrust.Account.WIRES)), claims);
        assertTrue(claims.contains("\"issuer_account\":\"" + trust.accountPublicKey(NatsTrust.Account.WIRES) + "\""), claims);
        String user = claims.replaceAll(".*\"sub\":\"(U[A-Z0-9]+)\".*", "$1");
        try (Connection rack = Nats.connect(options().authHandler(new CredsAuthHandler(rackCreds)).build())) {
            rack.jetStreamManagement().addStream(StreamConfiguration.builder().name("WIRE_s").subjects("fluxrig.wire.s")
                    .storageType(StorageType.File).build());
            assertEquals(1, rack.jetStream().publish("fluxrig.wire.s", "m".getBytes(StandardCharsets.UTF_8)).getSeqno());
        }

        // An account update (a revocation), signed by the operator signing key, issued later than a
        // given time (newer than what the servers hold), pushed by the signer's system user, which
        // then reads back the JWT in the server's folder and the claims the server enforces.
        Path system = signer.writeCreds(Role.MIXER_SYSTEM, "mixer-system", Duration.ofHours(1), dir.resolve("system.creds"));
        long later = System.currentTimeMillis() / 1000 + 60;
        String account = signer.accountJwt(NatsTrust.Account.WIRES, java.util.Map.of(user, System.currentTimeMillis() / 1000 + 1),
                later);
        assertTrue(Jwt.claimsJson(account).contains("\"iat\":" + (later + 1)), Jwt.claimsJson(account));
        String wires = "$SYS.REQ.ACCOUNT." + signer.accountPublicKey(NatsTrust.Account.WIRES);
        try (Connection sys = Nats.connect(options().authHandler(new CredsAuthHandler(system)).build())) {
            var reply = sys.request(wires + ".CLAIMS.UPDATE", account.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            String answer = new String(reply.getData(), StandardCharsets.UTF_8);
            assertFalse(answer.contains("\"error\""), answer);
            assertEquals(account, new String(sys.request(wires + ".CLAIMS.LOOKUP", new byte[0], Duration.ofSeconds(5)).getData(),
                    StandardCharsets.UTF_8), "the folder holds the update");
            String info = new String(sys.request(wires + ".INFO", new byte[0], Duration.ofSeconds(5)).getData(),
                    StandardCharsets.UTF_8);
            assertTrue(info.contains("\"jwt\":\"" + account + "\"") && info.contains(user), "the server enforces it: " + info);
        }
        assertThrows(IOException.class, () -> Nats.connect(options().authHandler(new CredsAuthHandler(rackCreds)).build()),
                "the server applied the update: the revoked user is refused");
    }
}
