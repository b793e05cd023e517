package io.fluxrig.mixer.http;

import io.fluxrig.mixer.artifact.Artifacts;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an operator's command before it is queued, for the types that take an artifact
 * ({@value #FETCH}, {@value #INSTALL}, {@value #PATCH}): {@code args.digest} is required, is
 * {@code sha256:<64 lower-case hex>} and names an artifact stored on this Mixer (else the rack
 * would only fail later, after a round trip); {@code args.name} is optional and a plain file name.
 * Other types pass unchecked: the rack decides what it can do. Only the operator API checks:
 * {@link io.fluxrig.mixer.command.Commands} itself stays type-agnostic. Stateless apart from the
 * artifact folder it reads.
 */
final class CommandArgsCheck {
    static final String FETCH = "fetch-artifact";
    static final String INSTALL = "install-bundle";
    static final String PATCH = "apply-patch";
    private static final Set<String> WITH_ARTIFACT = Set.of(FETCH, INSTALL, PATCH);
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final int MAX_NAME = 255;

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
        if (!WITH_ARTIFACT.contains(type)) {
            return;
        }
        String digest = args.get("digest");
        if (digest == null || digest.isEmpty()) {
            throw new Exchange.Refused(400, "args.digest: required for " + type + " (sha256:<64 lower-case hex>, "
                    + "as POST /api/artifacts answers)");
        }
        if (!DIGEST.matcher(digest).matches()) {
            throw new Exchange.Refused(400, "args.digest: '" + abbreviate(digest) + "' must be sha256:<64 lower-case hex>");
        }
        if (artifacts.file(digest.substring("sha256:".length())).isEmpty()) {
            throw new Exchange.Refused(400, "args.digest: artifact " + digest + " is not stored on this Mixer; "
                    + "upload it first with POST /api/artifacts");
        }
        String name = args.get("name");
        if (name != null) {
            String why = fileNameProblem(name);
            if (why != null) {
                throw new Exchange.Refused(400, "args.name: '" + abbreviate(name) + "' " + why);
            }
        }
    }

    /** @return why {@code name} is not a plain file name, or null when it is one */
    static String fileNameProblem(String name) {
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
