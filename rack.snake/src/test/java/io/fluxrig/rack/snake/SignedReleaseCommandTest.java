package io.fluxrig.rack.snake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.rack.spi.DeployOrigin;
import io.fluxrig.rack.spi.Deployer;
import io.fluxrig.snake.api.Command;
import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.Heartbeat;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.PublisherKeys;
import io.fluxrig.snake.api.release.ReleaseStatement;
import io.fluxrig.snake.api.release.ReleaseTrust;
import io.fluxrig.snake.api.release.SignedRelease;
import io.fluxrig.testsupport.Await;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rack's release check through its real command stream (Snake against {@link FakeMixer}),
 * with real Ed25519 keys: every refusal names the field, comes before the deployer is called
 * (nothing reaches {@code gears/} or the patch file), and leaves the rack taking commands.
 */
class SignedReleaseCommandTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path tmp;
    FakeMixer mixer;
    final List<String> deployed = new CopyOnWriteArrayList<>();
    /** The origin each install got from its command: the rollout named in the arguments, the release's sequence. */
    final List<DeployOrigin> origins = new CopyOnWriteArrayList<>();
    final KeyPair publisher = keys();
    final KeyPair stranger = keys();

    @BeforeEach
    void start() throws Exception {
        mixer = new FakeMixer();
    }

    @AfterEach
    void stop() {
        mixer.close();
    }

    @Test
    void aPinnedRackInstallsOnlyGoodSignedReleasesAndRefusesEveryOtherNamingTheField() throws Exception {
        byte[] v1 = bundle("io.acme.gear", "1.0.0");
        byte[] v2 = bundle("io.acme.gear", "1.1.0");
        String d1 = put(v1);
        String d2 = put(v2);
        Path dir = enrolled("pinned");
        ReleaseKeys keys = new ReleaseKeys(PublisherKeys.text(stranger.getPublic()) + "," + PublisherKeys.text(publisher.getPublic()));
        ReleaseGate gate = new ReleaseGate(keys::state, new ReleaseLedger(dir.resolve(Snake.RELEASES)), Clock.fixed(NOW, ZoneOffset.UTC));
        try (Snake snake = snake("pinned", dir, gate)) {
            // Unsigned on a pinned rack.
            CommandResult unsigned = run("u1", "install-bundle", d1, null);
            assertRefused(unsigned, "args.release: missing: this rack pins 2 publisher key(s)");

            // A good release, sequence 5.
            SignedRelease good = sign(publisher, statement("bundle", "io.acme.gear", "1.0.0", d1, v1.length, 5, NOW.plusSeconds(3600), false));
            CommandResult ok = run("g1", "install-bundle", d1, good);
            assertEquals(CommandResult.DONE, ok.status(), ok.detail());
            assertTrue(ok.detail().contains("signed release io.acme.gear 1.0.0, sequence 5, key " + PublisherKeys.id(publisher.getPublic())),
                    ok.detail());
            assertEquals(1, deployed.size());
            assertEquals(List.of(new DeployOrigin("ro-g1", 5)), origins, "the command's rollout and the release's sequence");

            // A flipped byte in the jar, uploaded with the genuine signature: the digests differ.
            byte[] flipped = v2.clone();
            flipped[flipped.length / 2] ^= 1;
            String dFlipped = put(flipped);
            SignedRelease forV2 = sign(publisher, statement("bundle", "io.acme.gear", "1.1.0", d2, v2.length, 6, NOW.plusSeconds(3600), false));
            assertRefused(run("t1", "install-bundle", dFlipped, forV2), "release.digest: the statement is signed for " + d2
                    + " but the command names " + dFlipped);

            // A statement edited after signing (sequence raised): the signature no longer verifies.
            ReleaseStatement s = forV2.statement();
            SignedRelease edited = new SignedRelease(statement(s.kind(), s.name(), s.version(), s.digest(), s.size(), 99,
                    NOW.plusSeconds(3600), false), forV2.key(), forV2.signature());
            assertRefused(run("t2", "install-bundle", d2, edited), "release.signature: does not verify with key");

            // Signed by a key this rack does not pin (and claiming to be it).
            KeyPair other = keys();
            SignedRelease unpinned = sign(other, s);
            assertRefused(run("k1", "install-bundle", d2, unpinned), "release.key: '" + PublisherKeys.id(other.getPublic())
                    + "' is not one of this rack's 2 pinned publisher keys");

            // Expired.
            SignedRelease expired = sign(publisher, statement("bundle", "io.acme.gear", "1.1.0", d2, v2.length, 6, NOW.minusSeconds(1), false));
            assertRefused(run("e1", "install-bundle", d2, expired), "release.not-after: the statement expired at "
                    + ReleaseStatement.instant(NOW.minusSeconds(1)));

            // Replayed: the installed release again, and an older sequence.
            assertRefused(run("r1", "install-bundle", d1, good), "release.sequence: 5 is not above 5, the last installed for io.acme.gear");
            SignedRelease older = sign(publisher, statement("bundle", "io.acme.gear", "1.1.0", d2, v2.length, 4, NOW.plusSeconds(3600), false));
            assertRefused(run("r2", "install-bundle", d2, older), "release.sequence: 4 is not above 5");

            // Signed for a patch, sent as a bundle; and a statement naming another bundle.
            SignedRelease asPatch = sign(publisher, statement("patch", "io.acme.gear", "1.1.0", d2, v2.length, 6, NOW.plusSeconds(3600), false));
            assertRefused(run("p1", "install-bundle", d2, asPatch), "release.kind: the statement is for a patch but the command is install-bundle");
            SignedRelease otherName = sign(publisher, statement("bundle", "io.acme.other", "1.1.0", d2, v2.length, 6, NOW.plusSeconds(3600), false));
            assertRefused(run("n1", "install-bundle", d2, otherName), "release.name: the statement is for bundle io.acme.other but the "
                    + "artifact's Bundle-SymbolicName is io.acme.gear");

            assertEquals(1, deployed.size(), "no refused release reached the deployer");

            // The next good release, then a signed rollback with allow-downgrade.
            assertEquals(CommandResult.DONE, run("g2", "install-bundle", d2, forV2).status());
            SignedRelease rollback = sign(publisher, statement("bundle", "io.acme.gear", "1.0.0", d1, v1.length, 5, NOW.plusSeconds(3600), true));
            CommandResult back = run("g3", "install-bundle", d1, rollback);
            assertEquals(CommandResult.DONE, back.status(), back.detail());
            assertEquals(3, deployed.size());
            ReleaseTrust.Installed now = gate.trust().installed().get("io.acme.gear");
            assertEquals(new ReleaseTrust.Installed("bundle", "1.0.0", 6, d1), now, "a downgrade keeps the highest sequence");
            assertEquals(ReleaseTrust.PINNED, gate.trust().mode());
        }
        // The floor survives a restart: a fresh ledger on the same file still refuses sequence 6.
        ReleaseGate again = new ReleaseGate(new ReleaseKeys(PublisherKeys.text(publisher.getPublic()))::state,
                new ReleaseLedger(dir.resolve(Snake.RELEASES)), Clock.fixed(NOW, ZoneOffset.UTC));
        SignedRelease replay = sign(publisher, statement("bundle", "io.acme.gear", "1.1.0", d2, v2.length, 6, NOW.plusSeconds(3600), false));
        ReleaseGate.Refused r = org.junit.jupiter.api.Assertions.assertThrows(ReleaseGate.Refused.class,
                () -> again.admit(io.fluxrig.snake.api.CommandType.INSTALL_BUNDLE, Map.of("digest", d2, "release", json(replay))));
        assertTrue(r.getMessage().startsWith("release.sequence: 6 is not above 6"), r.getMessage());
    }

    @Test
    void withoutPinnedKeysUnsignedArtifactsAreAcceptedAndTheModeIsReported() throws Exception {
        byte[] v1 = bundle("io.acme.dev", "1.0.0");
        String d1 = put(v1);
        Path dir = enrolled("dev");
        ReleaseGate gate = new ReleaseGate(new ReleaseKeys()::state, new ReleaseLedger(dir.resolve(Snake.RELEASES)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        try (Snake snake = snake("dev", dir, gate)) {
            CommandResult ok = run("d1", "install-bundle", d1, null);
            assertEquals(CommandResult.DONE, ok.status(), ok.detail());
            assertTrue(ok.detail().endsWith("(unsigned: development mode)"), ok.detail());
            assertEquals(ReleaseTrust.DEVELOPMENT, gate.trust().mode());
            assertEquals(ReleaseTrust.DEVELOPMENT_TEXT, gate.trust().summary());
        }
    }

    @Test
    void aMalformedKeyConfigurationRefusesEveryReleaseInsteadOfFallingBackToDevelopmentMode() throws Exception {
        byte[] v1 = bundle("io.acme.bad", "1.0.0");
        String d1 = put(v1);
        Path dir = enrolled("badkeys");
        ReleaseGate gate = new ReleaseGate(new ReleaseKeys("ed25519:not-a-key")::state, new ReleaseLedger(dir.resolve(Snake.RELEASES)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        try (Snake snake = snake("badkeys", dir, gate)) {
            assertRefused(run("b1", "install-bundle", d1, null), "release: refused because this rack's publisher key configuration "
                    + "is unusable: publisher.keys: key 1: 'ed25519:not-a-key' is not base64");
            assertEquals(ReleaseTrust.PINNED, gate.trust().mode());
        }
    }

    private void assertRefused(CommandResult r, String reason) {
        assertEquals(CommandResult.REFUSED, r.status(), r.detail());
        assertTrue(r.detail().contains(": " + reason), r.detail());
        assertTrue(r.detail().endsWith("; nothing was installed"), r.detail());
    }

    private CommandResult run(String id, String type, String digest, SignedRelease release) throws InterruptedException {
        Map<String, String> args = new java.util.HashMap<>(Map.of("digest", digest, "name", id + ".jar", "rollout", "ro-" + id));
        if (release != null) {
            args.put(SignedRelease.ARG, json(release));
        }
        mixer.queue(new Command(id, type, args));
        Await.until("the result of " + id, () -> mixer.results.stream().anyMatch(r -> r.id().equals(id)));
        return mixer.results.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static String json(SignedRelease r) {
        return new String(SnakeCodec.json().write(r), StandardCharsets.UTF_8);
    }

    private Snake snake(String rack, Path dir, ReleaseGate gate) {
        Deployer deployer = new Deployer() {
            @Override
            public String installBundle(Path artifact, String label) {
                deployed.add(label);
                return "installed " + label;
            }

            @Override
            public String installBundle(Path artifact, String label, DeployOrigin origin) {
                origins.add(origin);
                return installBundle(artifact, label);
            }

            @Override
            public String applyPatch(Path artifact, String label) {
                deployed.add(label);
                return "applied " + label;
            }

            @Override
            public String restoreBundle(String digest, String label) {
                deployed.add("restore " + label);
                return "restored before " + label;
            }
        };
        SnakeSettings s = new SnakeSettings(mixer.address(), null, null, rack, dir, 50, 200);
        Snake snake = new Snake(s, () -> new Heartbeat(50, Map.of(), null), new SecureRandom(), deployer, gate);
        snake.start();
        return snake;
    }

    private Path enrolled(String rack) throws Exception {
        Path dir = tmp.resolve(rack).resolve("snake");
        mixer.tokens.put("token-" + rack, rack);
        new Enroller(mixer.address(), rack, dir, new SecureRandom()).enrol("token-" + rack, mixer.caHash());
        return dir;
    }

    private String put(byte[] content) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        mixer.artifacts.put(hex, content);
        return "sha256:" + hex;
    }

    private static ReleaseStatement statement(String kind, String name, String version, String digest, long size, long seq,
            Instant notAfter, boolean downgrade) {
        return new ReleaseStatement(kind, name, version, digest, size, seq, ReleaseStatement.instant(notAfter.truncatedTo(ChronoUnit.SECONDS)),
                downgrade);
    }

    private static SignedRelease sign(KeyPair k, ReleaseStatement s) throws Exception {
        return PublisherKeys.sign(s, k.getPrivate(), k.getPublic());
    }

    static byte[] bundle(String bsn, String version) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn + ";singleton:=true");
        a.putValue("Bundle-Version", version);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new ZipEntry("readme.txt"));
            j.write(("content of " + bsn + " " + version).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static KeyPair keys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
