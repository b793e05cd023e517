package io.fluxrig.mixer.http;

import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.snake.api.ArtifactDigest;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.OperatorPaths;
import java.util.Map;

/**
 * Checks an operator's command before it is queued: the contract's argument rules of a known
 * {@link CommandType} ({@link CommandType#argumentProblem}), and for a type that takes an
 * artifact that the artifact is stored on this Mixer (else the rack would only fail later, after a
 * round trip). Unknown types pass unchecked: the rack decides what it can do. Only the operator
 * API checks: {@link io.fluxrig.mixer.command.Commands} itself stays type-agnostic. Stateless
 * apart from the artifact folder it reads.
 */
final class CommandArgsCheck {
    private final Artifacts artifacts;

    CommandArgsCheck(Artifacts artifacts) {
        this.artifacts = artifacts;
    }

    /**
     * @param type the command type
     * @param args its arguments
     * @throws Exchange.Refused 400 naming the argument and the reason
     */
    void check(String type, Map<String, String> args) throws Exchange.Refused {
        CommandType known = CommandType.of(type).orElse(null);
        if (known == null) {
            return;
        }
        String problem = known.argumentProblem(args);
        if (problem != null) {
            throw new Exchange.Refused(400, problem);
        }
        String digest = args.get(CommandType.DIGEST);
        if (known.takesArtifact() && artifacts.file(ArtifactDigest.hex(digest)).isEmpty()) {
            throw new Exchange.Refused(400, "args." + CommandType.DIGEST + ": artifact " + digest
                    + " is not stored on this Mixer; upload it first with POST " + OperatorPaths.ARTIFACTS);
        }
    }
}
