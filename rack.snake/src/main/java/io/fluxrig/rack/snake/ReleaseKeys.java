package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.release.PublisherKeys;
import java.util.Arrays;

/**
 * The publisher keys pinned on this rack: the {@code publisher.keys} property of the Snake's
 * configuration ({@link SnakeConfig#publisher_keys()}). They sit in the same configuration as the
 * Mixer's address on purpose: the Snake never runs with one and not yet the other, so there is no
 * window at start-up in which a rack meant to pin keys takes unsigned artifacts. No keys:
 * development mode. A malformed key does not fall back to development mode: every release is then
 * refused with the reason until the configuration is fixed. Immutable (a changed configuration
 * restarts the Snake with new keys); thread-safe.
 */
final class ReleaseKeys {
    /**
     * The keys.
     *
     * @param keys the pinned keys, empty in development mode (and when {@code problem} is set)
     * @param problem why the configuration is unusable, or null
     */
    record State(PublisherKeys keys, String problem) {
        /** @return one line for the log and the console */
        String describe() {
            if (problem != null) {
                return "publisher keys unusable, every release is refused until the configuration is fixed: " + problem;
            }
            return keys.isEmpty() ? "no publisher keys pinned: development mode (unsigned accepted)"
                    : keys.ids().size() + " publisher key(s) pinned: " + String.join(", ", keys.ids());
        }
    }

    private final State state;

    /** @param texts the configured keys ({@code ed25519:<base64>}, several per entry allowed); none: development mode */
    ReleaseKeys(String... texts) {
        State s;
        try {
            s = new State(PublisherKeys.parse(Arrays.asList(texts == null ? new String[0] : texts)), null);
        } catch (IllegalArgumentException e) {
            s = new State(PublisherKeys.none(), "publisher.keys: " + e.getMessage());
        }
        this.state = s;
    }

    private ReleaseKeys(State state) {
        this.state = state;
    }

    /** @param why why the keys cannot be known @return keys that refuse every release, saying why */
    static ReleaseKeys unusable(String why) {
        return new ReleaseKeys(new State(PublisherKeys.none(), why));
    }

    /** @return the keys */
    State state() {
        return state;
    }
}
