package io.fluxrig.snake.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTypeTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void typesAreKnownByTheirWireName() {
        assertEquals(CommandType.INSTALL_BUNDLE, CommandType.of("install-bundle").orElseThrow());
        assertTrue(CommandType.of("reboot-now").isEmpty());
        assertEquals("renew-certificate, fetch-artifact, install-bundle, apply-patch, preflight-bundle, restore-bundle, restore-patch",
                CommandType.known());
        assertTrue(CommandType.PREFLIGHT_BUNDLE.takesArtifact());
    }

    @Test
    void artifactCommandsNeedADigestAndAPlainName() {
        assertNull(CommandType.RENEW_CERTIFICATE.argumentProblem(Map.of()));
        assertNull(CommandType.APPLY_PATCH.argumentProblem(Map.of("digest", DIGEST, "name", "patch.yaml")));
        assertEquals("args.digest: required for install-bundle (sha256:<64 lower-case hex>)",
                CommandType.INSTALL_BUNDLE.argumentProblem(Map.of()));
        assertEquals("args.digest: 'md5:x' must be sha256:<64 lower-case hex>",
                CommandType.FETCH_ARTIFACT.argumentProblem(Map.of("digest", "md5:x")));
        assertEquals("args.name: '../evil.jar' must be a plain file name, without '/' or '\\'",
                CommandType.INSTALL_BUNDLE.argumentProblem(Map.of("digest", DIGEST, "name", "../evil.jar")));
        assertEquals("args.name: '.hidden' must be a plain file name, not starting with '.'",
                CommandType.INSTALL_BUNDLE.argumentProblem(Map.of("digest", DIGEST, "name", ".hidden")));
        assertEquals("args.name: ' a.jar' must be a plain file name, without control characters or surrounding blanks",
                CommandType.INSTALL_BUNDLE.argumentProblem(Map.of("digest", DIGEST, "name", " a.jar")));
    }

    @Test
    void theRolloutArgumentIsOptionalAndAPlainId() {
        assertNull(CommandType.INSTALL_BUNDLE.argumentProblem(Map.of("digest", DIGEST, "rollout", "0123456789abcdef")));
        assertNull(CommandType.INSTALL_BUNDLE.argumentProblem(Map.of("digest", DIGEST)), "a Mixer that does not send it");
        assertEquals("args.rollout: 'a b' must be " + CommandType.ROLLOUT_RULE,
                CommandType.APPLY_PATCH.argumentProblem(Map.of("digest", DIGEST, "rollout", "a b")));
        assertEquals("args.rollout: '' must be " + CommandType.ROLLOUT_RULE,
                CommandType.APPLY_PATCH.argumentProblem(Map.of("digest", DIGEST, "rollout", "")));
    }

    @Test
    void pathsAreBuiltFromTheContract() {
        assertEquals("/snake/artifacts/" + "ab".repeat(32), SnakeRoute.artifact(DIGEST));
        assertEquals("/snake/commands?waitMs=20000", SnakeRoute.commandsPoll(20_000));
        assertEquals(SnakeRoute.ARTIFACT, SnakeRoute.match("GET", "/snake/artifacts/" + "ab".repeat(32)).orElseThrow());
        assertEquals("ab".repeat(32), SnakeRoute.ARTIFACT.rest(SnakeRoute.artifact(DIGEST)));
        assertEquals(SnakeRoute.COMMAND_RESULT, SnakeRoute.match("POST", "/snake/commands/result").orElseThrow());
        assertTrue(SnakeRoute.match("GET", "/snake/heartbeat").isEmpty(), "the method is part of the route");
        assertTrue(SnakeRoute.match("GET", "/snake/commandsx").isEmpty());
        assertTrue(!SnakeRoute.ENROL.mutualTls() && SnakeRoute.HEARTBEAT.mutualTls());
        assertEquals("/api/racks/edge-1/commands/c1", OperatorPaths.command("edge-1", "c1"));
        assertEquals("/api/racks/edge-1/revoke", OperatorPaths.revoke("edge-1"));
    }
}
