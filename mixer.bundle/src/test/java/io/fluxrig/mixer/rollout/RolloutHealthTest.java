package io.fluxrig.mixer.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The health gate read from a rack's inventory, with the gear states racks report (rack.runtime's {@code Router.rows}). */
class RolloutHealthTest {
    private static JsonNode inventory(String gearStates, boolean connected) throws Exception {
        return new ObjectMapper().readTree("{\"gears\":[" + gearStates + "],\"wireTransport\":{\"connected\":" + connected
                + ",\"detail\":\"nats down\"}}");
    }

    @Test
    void boundGearsAreUpWaitingOnesAndADisconnectedWireAreNotReadyAndAFailedOpenFails() throws Exception {
        JsonNode up = inventory("{\"name\":\"issuer\",\"state\":\"bound\"},{\"name\":\"tick\",\"state\":\"running\"}", true);
        assertNull(Rollouts.healthProblem(up));
        assertNull(Rollouts.notReady(up));

        JsonNode waiting = inventory("{\"name\":\"issuer\",\"state\":\"bound\"},{\"name\":\"terminals\",\"state\":\"waiting\"}", true);
        assertNull(Rollouts.healthProblem(waiting), "a gear waiting for its service right after a change is not a failure");
        assertEquals("gear terminals is waiting for its service", Rollouts.notReady(waiting));

        JsonNode failed = inventory("{\"name\":\"terminals\",\"state\":\"open failed: port 8583 in use\"}", true);
        assertEquals("gear terminals is open failed: port 8583 in use", Rollouts.healthProblem(failed));

        assertNull(Rollouts.healthProblem(inventory("", false)), "a disconnected wire transport reconnects by itself");
        assertEquals("wire transport disconnected: nats down", Rollouts.notReady(inventory("", false)));
        assertNull(Rollouts.healthProblem(null));
        assertNull(Rollouts.notReady(null));
    }
}
