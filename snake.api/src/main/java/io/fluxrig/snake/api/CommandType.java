package io.fluxrig.snake.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The commands a Mixer sends a rack over the Snake, with their argument rules. The Mixer's store
 * accepts any well-formed type (a newer Mixer may queue a type an older rack does not know; the
 * rack refuses it with a reason), and the operator API checks the arguments of the known ones
 * before queueing with {@link #argumentProblem}; the rack checks them again before acting.
 *
 * <p>Arguments: {@value #DIGEST} is the artifact's {@link ArtifactDigest}; {@value #NAME}
 * (optional) is the original file name, used in messages only; {@value #ROLLOUT} (optional) is the
 * id of the rollout that sent the command, which the rack records with what it installs so that the
 * spans of the changed gears name the rollout (a rack that does not know it ignores it, and a Mixer
 * that does not send it leaves the gears' spans without it).
 */
public enum CommandType {
    /** Renew the rack certificate now (no arguments). */
    RENEW_CERTIFICATE("renew-certificate", false),
    /** Download an artifact into the rack's artifact folder and verify it. */
    FETCH_ARTIFACT("fetch-artifact", true),
    /** Fetch a bundle and install or update it, waiting until it is active. */
    INSTALL_BUNDLE("install-bundle", true),
    /** Fetch a patch, validate it and make it the rack's patch. */
    APPLY_PATCH("apply-patch", true),
    /**
     * Fetch a bundle and dry-run it against the rack's own framework (its resolver), without
     * installing it: done when it would resolve, refused with the missing requirements (one per line).
     */
    PREFLIGHT_BUNDLE("preflight-bundle", true),
    /**
     * Undo the install of the bundle release {@value #DIGEST} names: the rack puts back the bundle
     * that install replaced (the copy it kept) or, when the bundle was new, uninstalls it. Done
     * with "nothing to restore" when the rack has no record of that install; refused when the
     * bundle was changed again since. Nothing is fetched: the rack only returns to bytes it
     * verified and ran before.
     */
    RESTORE_BUNDLE("restore-bundle", true),
    /**
     * Undo the application of the patch {@value #DIGEST} names: the rack makes the patch that
     * application replaced (its numbered snapshot) the rack's patch again, validated and applied
     * like any patch, or removes the patch file when there was none. Done with "nothing to
     * restore" when the rack has no record of applying it (or that application changed nothing);
     * refused when the patch was changed again since. Nothing is fetched: the rack only returns to
     * a patch it applied (and verified) before.
     */
    RESTORE_PATCH("restore-patch", true);

    /** The argument naming the artifact. */
    public static final String DIGEST = "digest";
    /** The optional argument with the artifact's original file name. */
    public static final String NAME = "name";
    /** The optional argument with the id of the rollout that sent the command. */
    public static final String ROLLOUT = "rollout";
    /** What {@value #ROLLOUT} must be: a rollout id as the Mixer makes them. */
    public static final String ROLLOUT_RULE = "1 to 64 letters, digits, '-' or '_'";
    /** The longest {@value #NAME}. */
    public static final int MAX_NAME = 255;

    private final String wire;
    private final boolean artifact;

    CommandType(String wire, boolean artifact) {
        this.wire = wire;
        this.artifact = artifact;
    }

    /** @return the type as sent, e.g. {@code install-bundle} */
    public String wire() {
        return wire;
    }

    /** @return whether the command names an artifact ({@value #DIGEST} required) */
    public boolean takesArtifact() {
        return artifact;
    }

    @Override
    public String toString() {
        return wire;
    }

    /** @param wire a type as sent @return the known type, or empty */
    public static Optional<CommandType> of(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }

    /** @return every known type as sent, comma-separated, for refusals */
    public static String known() {
        return Arrays.stream(values()).map(CommandType::wire).collect(Collectors.joining(", "));
    }

    /**
     * @param args the command's arguments
     * @return why they are refused, naming the argument ({@code args.digest: ...}), or null when
     *         they follow this type's rules
     */
    public String argumentProblem(Map<String, String> args) {
        if (!artifact) {
            return null;
        }
        String digest = args.get(DIGEST);
        if (digest == null || digest.isEmpty()) {
            return "args." + DIGEST + ": required for " + wire + " (" + ArtifactDigest.RULE + ")";
        }
        if (!ArtifactDigest.valid(digest)) {
            return "args." + DIGEST + ": '" + abbreviate(digest) + "' must be " + ArtifactDigest.RULE;
        }
        String rollout = args.get(ROLLOUT);
        if (rollout != null && !rolloutId(rollout)) {
            return "args." + ROLLOUT + ": '" + abbreviate(rollout) + "' must be " + ROLLOUT_RULE;
        }
        String name = args.get(NAME);
        String why = name == null ? null : fileNameProblem(name);
        return why == null ? null : "args." + NAME + ": '" + abbreviate(name) + "' " + why;
    }

    /** @param id a {@value #ROLLOUT} argument @return whether it follows {@link #ROLLOUT_RULE} */
    public static boolean rolloutId(String id) {
        return id != null && !id.isEmpty() && id.length() <= 64 && id.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
    }

    /** @param name a file name @return why it is not a plain file name, or null when it is one */
    public static String fileNameProblem(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return "must be a file name of 1 to " + MAX_NAME + " characters";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "must be a plain file name, without '/' or '\\'";
        }
        if (name.startsWith(".")) {
            return "must be a plain file name, not starting with '.'";
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !name.equals(name.strip())) {
            return "must be a plain file name, without control characters or surrounding blanks";
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
