package io.fluxrig.mixer.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.ReleaseStatement;
import io.fluxrig.snake.api.release.SignedRelease;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Rollouts page's start form: the steps made for a release, the signature checks, the fields. */
class RolloutStartFormTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static byte[] sig(String kind, String digest) {
        return SnakeCodec.json().write(new SignedRelease(new ReleaseStatement(kind, "io.acme.gear", "1.0.0", digest, 10, 3,
                "2030-01-01T00:00:00Z", false), "ed25519:00", "c2ln"));
    }

    @Test
    void aSignedBundleIsPreflightedThenInstalledAndAPatchApplied() throws Exception {
        List<RolloutStep> steps = RolloutStartForm.steps("bundle", "C:\\fakepath\\gear.acme.jar", DIGEST, sig("bundle", DIGEST));
        assertEquals(List.of("preflight-bundle", "install-bundle"), steps.stream().map(RolloutStep::type).toList());
        assertEquals("gear.acme.jar", steps.get(1).name(), "the browser's path is cut to the file name");
        SignedRelease carried = SnakeCodec.json().read(steps.get(1).release().getBytes(StandardCharsets.UTF_8), SignedRelease.class);
        assertEquals(DIGEST, carried.statement().digest());
        RolloutStep patch = RolloutStartForm.steps("patch", "edge.yaml", DIGEST, new byte[0]).get(0);
        assertEquals("apply-patch", patch.type());
        assertNull(patch.release(), "no signature file: unsigned (racks that pin keys refuse it, and so does the Mixer)");
    }

    @Test
    void aSignatureOfAnotherFileOrKindAndBadFieldsAreRefusedNamingTheField() {
        String other = "sha256:" + "cd".repeat(32);
        assertEquals("signature: it signs " + other + ", not the uploaded file (" + DIGEST + "); upload the file it was made for, "
                + "or sign this one with 'fluxrig release sign'", assertThrows(MixerConsolePage.Refused.class,
                        () -> RolloutStartForm.steps("bundle", "g.jar", DIGEST, sig("bundle", other))).getMessage());
        assertEquals("kind: the signature is for a bundle, not a patch", assertThrows(MixerConsolePage.Refused.class,
                () -> RolloutStartForm.steps("patch", "g.yaml", DIGEST, sig("bundle", DIGEST))).getMessage());
        assertEquals("signature: not a signed release (statement, key and signature are required)", assertThrows(
                MixerConsolePage.Refused.class, () -> RolloutStartForm.steps("bundle", "g.jar", DIGEST,
                        "{}".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertEquals("release: must be a plain file name, not starting with '.'", assertThrows(MixerConsolePage.Refused.class,
                () -> RolloutStartForm.steps("bundle", ".hidden.jar", DIGEST, new byte[0])).getMessage());
        assertEquals("soakSeconds: 'soon' must be a whole number from 0 to 86400", assertThrows(MixerConsolePage.Refused.class,
                () -> RolloutStartForm.request(Map.of("soakSeconds", "soon")::get, List.of())).getMessage());
    }

    @Test
    void theFieldsBecomeTheRequestTheOperatorApiTakes() throws Exception {
        RolloutRequest q = RolloutStartForm.request(Map.of("selector", " role=core ", "waves", "1, 50%,100%", "soakSeconds", "5",
                "maxFailures", "1", "onFailure", "rollback", "deadlineSeconds", "90", "includeNew", "on")::get, List.of());
        assertEquals(new RolloutRequest("role=core", List.of("1", "50%", "100%"), List.of(), List.of(), 5000, 1, "rollback", 90_000,
                true), q);
        RolloutRequest defaults = RolloutStartForm.request(Map.of("selector", "all")::get, List.of());
        assertEquals(new RolloutRequest("all", List.of("1", "100%"), List.of(), List.of(), 30_000, 0, "pause", 600_000, false),
                defaults, "the CLI's defaults");
        RolloutRequest gated = RolloutStartForm.request(Map.of("selector", "all", "maxErrorPercent", "5", "maxP99Millis", "250")::get,
                List.of());
        assertEquals(0.05, gated.maxErrorRate());
        assertEquals(250.0, gated.maxP99Millis());
        assertEquals("maxErrorPercent: '120' must be a whole number from 0 to 100", assertThrows(MixerConsolePage.Refused.class,
                () -> RolloutStartForm.request(Map.of("selector", "all", "maxErrorPercent", "120")::get, List.of())).getMessage());
    }
}
