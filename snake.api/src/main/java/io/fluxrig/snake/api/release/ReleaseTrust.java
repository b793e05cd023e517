package io.fluxrig.snake.api.release;

import java.util.List;
import java.util.Map;

/**
 * What a rack reports about release signatures in its inventory.
 *
 * @param mode {@value #PINNED} (only releases signed by a pinned key are installed) or
 *        {@value #DEVELOPMENT} (no key pinned: unsigned artifacts are accepted)
 * @param keys the ids of the pinned publisher keys ({@link PublisherKeys#id}), empty in development mode
 * @param installed per release name, the last release installed (its version and sequence)
 */
public record ReleaseTrust(String mode, List<String> keys, Map<String, Installed> installed) {
    /** Publisher keys are pinned. */
    public static final String PINNED = "pinned";
    /** No publisher key is pinned. */
    public static final String DEVELOPMENT = "development";
    /** How development mode is shown to operators. */
    public static final String DEVELOPMENT_TEXT = "development mode (unsigned accepted)";

    /** Null lists and maps become empty. */
    public ReleaseTrust {
        keys = keys == null ? List.of() : List.copyOf(keys);
        installed = installed == null ? Map.of() : Map.copyOf(installed);
    }

    /** @return one line for a console: the mode and the pinned key ids */
    public String summary() {
        return PINNED.equals(mode) ? "signed releases only: " + keys.size() + " publisher key"
                + (keys.size() == 1 ? "" : "s") + " pinned (" + String.join(", ", keys) + ")" : DEVELOPMENT_TEXT;
    }

    /**
     * @param kind {@link ReleaseStatement#BUNDLE} or {@link ReleaseStatement#PATCH}
     * @param version the version installed
     * @param sequence its statement's sequence (0: installed unsigned, in development mode)
     * @param digest the artifact's digest
     */
    public record Installed(String kind, String version, long sequence, String digest) {
    }
}
