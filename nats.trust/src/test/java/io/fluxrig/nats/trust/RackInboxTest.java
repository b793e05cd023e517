package io.fluxrig.nats.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rack's inbox prefix: from its name, which its user JWT carries; its grant subscribes there only. */
class RackInboxTest {

    @Test
    void theGrantSubscribesOnlyToTheRacksOwnInboxPrefix() {
        assertEquals("_INBOX.edge", WireSubjects.inboxPrefix("edge"));
        assertEquals(java.util.List.of("_INBOX.edge.>"), WireGrant.NONE.permissions("edge").subAllow());
    }

    @Test
    void aNameThatIsNotOneSubjectTokenIsRefused() {
        for (String bad : new String[] {"", "a.b", "*", ">", "a b"}) {
            assertThrows(IllegalArgumentException.class, () -> WireSubjects.inboxPrefix(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> WireGrant.NONE.permissions(null));
    }

    @Test
    void theNameIsReadFromAnIssuedUserJwt(@TempDir Path dir) throws Exception {
        NatsTrust trust = NatsTrust.loadOrCreate(dir);
        assertEquals("edge-1", Jwt.name(trust.issue(Role.RACK, "edge-1", Duration.ofHours(1)).jwt()));
        NKeyPair account = NKeyPair.generate(NKeyPair.Type.ACCOUNT);
        assertNull(Jwt.name(Jwt.sign(java.util.Map.<String, Object>of("sub", "x", "iss", account.publicKey()), account)), "no name claim");
    }
}
