package io.fluxrig.cli.launch;

import io.fluxrig.snake.api.release.PublisherKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rack --publisher-key KEY|FILE}: the publisher keys a rack pins, written as
 * {@code publisher.keys} into the Snake's configuration file (the one {@link JvmLaunch} writes, or
 * the one a user dropped into {@code gears/}) through {@link EtcFiles#ensure}, before the rack
 * starts: the Snake never runs with the Mixer's address and without the keys. Stateless.
 */
final class PublisherKeyOption {
    private PublisherKeyOption() {
    }

    /**
     * @param given each {@code ed25519:<base64>} key, or a file holding one (a {@code .pub} from
     *        {@code release keygen})
     * @return the keys as one {@code publisher.keys} value
     * @throws IllegalArgumentException naming the option value and the reason
     */
    static String keys(List<String> given) throws IOException {
        List<String> keys = new ArrayList<>();
        for (String g : given) {
            String text = g.strip();
            if (!text.startsWith(PublisherKeys.PREFIX)) {
                Path file = Path.of(text);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("--publisher-key " + g + ": neither " + PublisherKeys.PREFIX
                            + "<base64> nor a readable file");
                }
                text = Files.readString(file).strip();
            }
            try {
                PublisherKeys.parse(List.of(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--publisher-key " + g + ": " + e.getMessage());
            }
            keys.add(text);
        }
        return String.join(",", keys);
    }

    /** Sets {@code publisher.keys} in the rack's Snake configuration file. */
    static void write(Path rackData, String keys) throws IOException {
        Path dropped = rackData.resolve("gears").resolve(JvmLaunch.SNAKE_PID + ".cfg");
        Path file = Files.exists(dropped) ? dropped : rackData.resolve("etc").resolve(JvmLaunch.SNAKE_PID + ".cfg");
        EtcFiles.ensure(file, "fluxrig rack", List.of(EtcFiles.Setting.given("publisher.keys", keys, "--publisher-key")));
    }
}
