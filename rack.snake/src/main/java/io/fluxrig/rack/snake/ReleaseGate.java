package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.PublisherKeys;
import io.fluxrig.snake.api.release.ReleaseStatement;
import io.fluxrig.snake.api.release.ReleaseTrust;
import io.fluxrig.snake.api.release.SignedRelease;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * The rack's release check, made before anything is written to {@code gears/} or the patch file:
 * with publisher keys pinned, an {@code install-bundle} or {@code apply-patch} must carry a
 * {@link SignedRelease} ({@value SignedRelease#ARG} argument) signed by one of them, for exactly
 * the command's digest and kind, not expired, with a sequence above the last one installed for
 * its name (unless the statement is a signed {@code allow-downgrade}). Once the artifact is
 * fetched (digest verified by the fetcher), its size must be the statement's and a bundle's
 * manifest must name the statement's symbolic name and version. Without pinned keys (development
 * mode) unsigned artifacts pass; a signature that comes along is not checked (no key to check it
 * with), its other fields are.
 *
 * <p>Every refusal names the field ({@code release.sequence: ...}). Used on the command thread;
 * the keys are read through a supplier so a changed configuration applies to the next command.
 */
final class ReleaseGate {
    private final Supplier<ReleaseKeys.State> keys;
    private final ReleaseLedger ledger;
    private final Clock clock;

    /**
     * @param keys the pinned keys now (or why the configuration is unusable)
     * @param ledger the last release installed per name
     * @param clock for expiry
     */
    ReleaseGate(Supplier<ReleaseKeys.State> keys, ReleaseLedger ledger, Clock clock) {
        this.keys = keys;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** A refusal: the command is answered {@code refused} with this text and nothing is installed. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    /**
     * Checks a command before its artifact is fetched.
     *
     * @param type install-bundle, apply-patch or preflight-bundle (checked as an install would be)
     * @param args the command's arguments (digest already well-formed)
     * @return the signed release, or null for an unsigned artifact on a rack in development mode
     * @throws Refused naming the field and the reason
     */
    SignedRelease admit(CommandType type, Map<String, String> args) throws Refused {
        ReleaseKeys.State k = keys.get();
        if (k.problem() != null) {
            throw new Refused("release: refused because this rack's publisher key configuration is unusable: " + k.problem());
        }
        String text = args.get(SignedRelease.ARG);
        if (text == null || text.isBlank()) {
            if (k.keys().isEmpty()) {
                return null; // development mode
            }
            throw new Refused("args." + SignedRelease.ARG + ": missing: this rack pins " + k.keys().ids().size()
                    + " publisher key(s) and installs only signed releases (sign with 'fluxrig release sign')");
        }
        SignedRelease release;
        try {
            release = SnakeCodec.json().read(text.getBytes(StandardCharsets.UTF_8), SignedRelease.class);
        } catch (SnakeCodec.DecodeException e) {
            throw new Refused("args." + SignedRelease.ARG + ": not a signed release: " + e.getMessage());
        }
        if (release.statement() == null) {
            throw new Refused("release.statement: missing");
        }
        ReleaseStatement s = release.statement();
        String problem = k.keys().isEmpty() ? s.problem() : k.keys().signatureProblem(release);
        if (problem != null) {
            throw new Refused(problem);
        }
        String digest = args.get(CommandType.DIGEST);
        if (!s.digest().equals(digest)) {
            throw new Refused("release.digest: the statement is signed for " + s.digest() + " but the command names " + digest);
        }
        String kind = type == CommandType.APPLY_PATCH ? ReleaseStatement.PATCH : ReleaseStatement.BUNDLE;
        if (!s.kind().equals(kind)) {
            throw new Refused("release.kind: the statement is for a " + s.kind() + " but the command is " + type.wire());
        }
        Instant now = clock.instant();
        if (!now.isBefore(s.notAfterInstant())) {
            throw new Refused("release.not-after: the statement expired at " + s.notAfter() + " (now " + ReleaseStatement.instant(now) + ")");
        }
        ReleaseTrust.Installed last;
        try {
            last = ledger.get(s.name());
        } catch (IOException e) {
            throw new Refused("release.sequence: cannot be checked, the rack's release ledger is unreadable: " + e.getMessage());
        }
        if (last != null && s.sequence() <= last.sequence() && !s.allowDowngrade()) {
            throw new Refused("release.sequence: " + s.sequence() + " is not above " + last.sequence() + ", the last installed for "
                    + s.name() + " (version " + last.version() + "): a replay or a downgrade; a rollback needs a statement "
                    + "signed with allow-downgrade");
        }
        return release;
    }

    /**
     * Checks the fetched artifact against the statement (the fetcher verified its digest).
     *
     * @param release the admitted release, or null (development mode: nothing to compare)
     * @param artifact the verified artifact
     * @throws Refused naming the field
     * @throws IOException when the artifact cannot be read
     */
    void matches(SignedRelease release, Path artifact) throws Refused, IOException {
        if (release == null) {
            return;
        }
        ReleaseStatement s = release.statement();
        long size = Files.size(artifact);
        if (size != s.size()) {
            throw new Refused("release.size: the statement says " + s.size() + " bytes, the artifact has " + size);
        }
        if (!ReleaseStatement.BUNDLE.equals(s.kind())) {
            return;
        }
        Manifest m;
        try (InputStream in = Files.newInputStream(artifact); JarInputStream jar = new JarInputStream(in, false)) {
            m = jar.getManifest(); // read only for the names: jar signatures play no part in trust here
        } catch (IOException e) {
            m = null;
        }
        String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
        String bsnName = bsn == null ? null : bsn.split(";", 2)[0].trim();
        if (bsnName == null || !bsnName.equals(s.name())) {
            throw new Refused("release.name: the statement is for bundle " + s.name() + " but the artifact's Bundle-SymbolicName is "
                    + (bsnName == null ? "missing" : bsnName));
        }
        String version = m.getMainAttributes().getValue("Bundle-Version");
        if (!normal(version).equals(normal(s.version()))) {
            throw new Refused("release.version: the statement is for version " + s.version() + " but the bundle's Bundle-Version is "
                    + (version == null ? "missing" : version.trim()));
        }
    }

    /**
     * Records an installed release so that its sequence is the floor from now on.
     *
     * @param release the release, or null for an unsigned artifact (it has no name to record)
     */
    void installed(SignedRelease release) throws IOException {
        if (release == null) {
            return;
        }
        ReleaseStatement s = release.statement();
        ledger.record(s.name(), new ReleaseTrust.Installed(s.kind(), s.version(), s.sequence(), s.digest()));
    }

    /** @return what the inventory reports */
    ReleaseTrust trust() {
        ReleaseKeys.State k = keys.get();
        boolean pinned = k.problem() != null || !k.keys().isEmpty();
        Map<String, ReleaseTrust.Installed> installed;
        try {
            installed = ledger.all();
        } catch (IOException e) {
            installed = Map.of(); // admit() refuses with the reason; the inventory just shows none
        }
        return new ReleaseTrust(pinned ? ReleaseTrust.PINNED : ReleaseTrust.DEVELOPMENT, k.keys().ids(), installed);
    }

    /** OSGi versions compare with missing parts as 0: {@code 1.0} is {@code 1.0.0}. */
    private static String normal(String v) {
        if (v == null) {
            return "";
        }
        String[] p = v.trim().split("\\.", 4);
        return (p.length > 0 && !p[0].isEmpty() ? p[0] : "0") + "." + (p.length > 1 ? p[1] : "0") + "." + (p.length > 2 ? p[2] : "0")
                + (p.length > 3 ? "." + p[3] : "");
    }
}
