package io.fluxrig.console.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fluxrig.console.credentials.ConsoleCredentialsFile;
import io.fluxrig.console.credentials.ConsolePasswordHash;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the bootstrap generates a password: decided from the configuration FileInstall delivers, never from the file's content. */
class CredentialsBootstrapTest {
    private static final Map<String, Object> COMPONENT = Map.of("component.name", CredentialsBootstrap.class.getName());

    @Test
    void aValidConfiguredHashNeedsNothing() throws Exception {
        String hash = ConsolePasswordHash.hash("a-good-password-1".toCharArray(), new SecureRandom());
        Map<String, Object> configured = Map.of("service.pid", ConsoleCredentialsFile.PID, ConsoleCredentialsFile.USER, "ops",
                ConsoleCredentialsFile.PASSWORD_HASH, hash);
        assertEquals(CredentialsBootstrap.Need.NOTHING, CredentialsBootstrap.need(configured, true));
    }

    @Test
    void aFileNotYetDeliveredIsWaitedFor() {
        assertEquals(CredentialsBootstrap.Need.WAIT_FOR_FILE, CredentialsBootstrap.need(COMPONENT, true));
    }

    @Test
    void noFileOrADeliveredFileWithoutAValidHashGetsAGeneratedPassword() {
        assertEquals(CredentialsBootstrap.Need.GENERATE, CredentialsBootstrap.need(COMPONENT, false));
        Map<String, Object> weak = Map.of("service.pid", ConsoleCredentialsFile.PID, ConsoleCredentialsFile.PASSWORD_HASH, "{sha-256}abc");
        assertEquals(CredentialsBootstrap.Need.GENERATE, CredentialsBootstrap.need(weak, true));
        Map<String, Object> noHash = Map.of("service.pid", ConsoleCredentialsFile.PID, ConsoleCredentialsFile.USER, "ops");
        assertEquals(CredentialsBootstrap.Need.GENERATE, CredentialsBootstrap.need(noHash, true));
    }

    @Test
    void theEtcFolderIsWatchedWhenFileInstallsPropertyNamesIt() {
        java.nio.file.Path etc = java.nio.file.Path.of("etc").toAbsolutePath().normalize();
        org.junit.jupiter.api.Assertions.assertTrue(CredentialsBootstrap.watched("\"etc,gears\"", etc));
        org.junit.jupiter.api.Assertions.assertTrue(CredentialsBootstrap.watched("etc", etc));
        org.junit.jupiter.api.Assertions.assertFalse(CredentialsBootstrap.watched("etc,gears", java.nio.file.Path.of("/data/r/etc")));
        org.junit.jupiter.api.Assertions.assertFalse(CredentialsBootstrap.watched(null, etc));
    }
}
