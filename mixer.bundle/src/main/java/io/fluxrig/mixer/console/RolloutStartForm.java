package io.fluxrig.mixer.console;

import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.ReleaseStatement;
import io.fluxrig.snake.api.release.SignedRelease;
import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The Rollouts page's start form, read into what the operator API takes: the uploaded release
 * (a bundle or a patch, with its {@code .sig}) becomes the steps {@code fluxrig rollout create}
 * would send for it (a bundle: its pre-flight, then its install; a patch: its application), the
 * other fields a {@link RolloutRequest}. The request then goes to the same
 * {@link io.fluxrig.mixer.rollout.Rollouts#create} as {@code POST /api/rollouts}, which checks the
 * rest (selector, waves, stored artifacts, signatures for racks that pin keys). Pure; the field
 * names are the form's.
 */
final class RolloutStartForm {
    static final String FILE = "release";
    static final String SIGNATURE = "signature";
    static final String KIND = "kind";
    static final String SELECTOR = "selector";
    static final String WAVES = "waves";
    static final String SOAK = "soakSeconds";
    static final String MAX_FAILURES = "maxFailures";
    static final String ON_FAILURE = "onFailure";
    static final String DEADLINE = "deadlineSeconds";
    static final String INCLUDE_NEW = "includeNew";
    /** The health gate's error-rate limit in whole percent; empty for the default. */
    static final String MAX_ERROR_PERCENT = "maxErrorPercent";
    /** The health gate's p99 limit in whole milliseconds; empty for the default. */
    static final String MAX_P99 = "maxP99Millis";
    /** A signature file larger than this is no release signature. */
    static final int SIGNATURE_MAX = 4096;

    private RolloutStartForm() {
    }

    /**
     * @param kind {@value ReleaseStatement#BUNDLE} or {@value ReleaseStatement#PATCH}
     * @param fileName the uploaded file's name as the browser sent it (a path is cut to its last part)
     * @param digest the stored file's digest
     * @param signature the {@code .sig} file's bytes, or empty for an unsigned release
     * @return the steps, as {@code fluxrig rollout create} makes them
     * @throws MixerConsolePage.Refused naming the field
     */
    static List<RolloutStep> steps(String kind, String fileName, String digest, byte[] signature) throws MixerConsolePage.Refused {
        String name = fileName == null ? "" : fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        String problem = name.isEmpty() ? "choose the file to roll out" : CommandType.fileNameProblem(name);
        if (problem != null) {
            throw new MixerConsolePage.Refused(FILE + ": " + problem);
        }
        if (!ReleaseStatement.BUNDLE.equals(kind) && !ReleaseStatement.PATCH.equals(kind)) {
            throw new MixerConsolePage.Refused(KIND + ": '" + kind + "' must be bundle or patch");
        }
        String release = signature.length == 0 ? null : release(signature, kind, digest);
        if (ReleaseStatement.PATCH.equals(kind)) {
            return List.of(new RolloutStep(CommandType.APPLY_PATCH.wire(), digest, name, release));
        }
        return List.of(new RolloutStep(CommandType.PREFLIGHT_BUNDLE.wire(), digest, name, release),
                new RolloutStep(CommandType.INSTALL_BUNDLE.wire(), digest, name, release));
    }

    /** @return the signed release as a step carries it (compact JSON), after checking it is this file's */
    private static String release(byte[] signature, String kind, String digest) throws MixerConsolePage.Refused {
        if (signature.length > SIGNATURE_MAX) {
            throw new MixerConsolePage.Refused(SIGNATURE + ": larger than " + SIGNATURE_MAX + " bytes: not a release signature");
        }
        SignedRelease s;
        try {
            s = SnakeCodec.json().read(signature, SignedRelease.class);
        } catch (SnakeCodec.DecodeException e) {
            throw new MixerConsolePage.Refused(SIGNATURE + ": not a signed release (" + e.getMessage() + ")");
        }
        if (s.statement() == null || s.signature() == null || s.key() == null) {
            throw new MixerConsolePage.Refused(SIGNATURE + ": not a signed release (statement, key and signature are required)");
        }
        if (!digest.equals(s.statement().digest())) {
            throw new MixerConsolePage.Refused(SIGNATURE + ": it signs " + s.statement().digest() + ", not the uploaded file ("
                    + digest + "); upload the file it was made for, or sign this one with 'fluxrig release sign'");
        }
        if (!kind.equals(s.statement().kind())) {
            throw new MixerConsolePage.Refused(KIND + ": the signature is for a " + s.statement().kind() + ", not a " + kind);
        }
        return new String(SnakeCodec.json().write(s), StandardCharsets.UTF_8);
    }

    /**
     * @param field the form's text fields by name (null when absent)
     * @param steps the release's steps
     * @return the request for {@code Rollouts.create}
     * @throws MixerConsolePage.Refused naming the field
     */
    static RolloutRequest request(Function<String, String> field, List<RolloutStep> steps) throws MixerConsolePage.Refused {
        String selector = text(field, SELECTOR, "");
        List<String> waves = Arrays.stream(text(field, WAVES, "1,100%").split(",")).map(String::strip).toList();
        long soak = number(field, SOAK, 30, 0, 86_400) * 1000;
        int maxFailures = (int) number(field, MAX_FAILURES, 0, 0, 1_000_000);
        long deadline = number(field, DEADLINE, 600, 1, 7 * 86_400) * 1000;
        String onFailure = text(field, ON_FAILURE, Rollout.PAUSE);
        boolean includeNew = "on".equals(field.apply(INCLUDE_NEW)) || "true".equals(field.apply(INCLUDE_NEW));
        long errorPercent = number(field, MAX_ERROR_PERCENT, -1, 0, 100);
        long p99 = number(field, MAX_P99, -1, 1, 86_400_000);
        return new RolloutRequest(selector, waves, steps, List.of(), soak, maxFailures, onFailure, deadline, includeNew,
                errorPercent < 0 ? null : errorPercent / 100.0, p99 < 0 ? null : (double) p99);
    }

    private static String text(Function<String, String> field, String name, String empty) {
        String v = field.apply(name);
        return v == null || v.isBlank() ? empty : v.strip();
    }

    private static long number(Function<String, String> field, String name, long empty, long min, long max)
            throws MixerConsolePage.Refused {
        String v = text(field, name, "");
        if (v.isEmpty()) {
            return empty;
        }
        if (!v.matches("[0-9]{1,9}") || Long.parseLong(v) < min || Long.parseLong(v) > max) {
            throw new MixerConsolePage.Refused(name + ": '" + v + "' must be a whole number from " + min + " to " + max);
        }
        return Long.parseLong(v);
    }
}
