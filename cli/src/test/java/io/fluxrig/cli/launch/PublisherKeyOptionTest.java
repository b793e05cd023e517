package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.snake.api.release.PublisherKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rack --publisher-key}: keys given as text or as a .pub file land in the Snake's configuration file. */
class PublisherKeyOptionTest {
    @TempDir
    Path dir;

    @Test
    void keysAsTextOrFileArePinnedInTheSnakeConfigurationAndAMalformedOneIsRefused() throws Exception {
        String a = PublisherKeys.text(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
        String b = PublisherKeys.text(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
        Path pub = Files.writeString(dir.resolve("acme.pub"), b + "\n");
        String keys = PublisherKeyOption.keys(List.of(a, pub.toString()));
        assertEquals(a + "," + b, keys);

        Path cfg = dir.resolve("rack/etc/io.fluxrig.rack.snake.cfg");
        Files.createDirectories(cfg.getParent());
        Files.writeString(cfg, "mixer=127.0.0.1:7443\n");
        PublisherKeyOption.write(dir.resolve("rack"), keys);
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(cfg)) {
            p.load(r);
        }
        assertEquals("127.0.0.1:7443", p.getProperty("mixer"), "the rest of the file is kept");
        assertEquals(2, PublisherKeys.parse(List.of(p.getProperty("publisher.keys"))).ids().size());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PublisherKeyOption.keys(List.of("ed25519:AAAA")));
        assertTrue(bad.getMessage().startsWith("--publisher-key ed25519:AAAA: "), bad.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PublisherKeyOption.keys(List.of(dir.resolve("none.pub").toString())));
        assertTrue(missing.getMessage().endsWith("neither ed25519:<base64> nor a readable file"), missing.getMessage());
    }
}
