package io.fluxrig.wire.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.ApiResponse;
import io.nats.client.support.JsonParser;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** LeaderWait's classification and bounded retry (pure logic; the real cluster is in ClusterProvisioningTest). */
class LeaderWaitTest {

    @Test
    void electionErrorsAreTransientAndConfigurationErrorsAreNot() throws Exception {
        assertTrue(LeaderWait.transientError(new IOException("Timeout or no response waiting for NATS JetStream server")));
        assertTrue(LeaderWait.transientError(api(503, 10008, "JetStream system temporarily unavailable")));
        assertTrue(LeaderWait.transientError(api(500, 10009, "JetStream not leader")));
        assertTrue(LeaderWait.transientError(api(503, 10023, "insufficient resources")));
        assertTrue(LeaderWait.transientError(api(500, 10049, "error creating store for stream")));
        assertFalse(LeaderWait.transientError(api(500, 10074, "replicas > 1 not supported in non-clustered mode")));
        assertFalse(LeaderWait.transientError(api(400, 10065, "subjects overlap with an existing stream")));
        assertFalse(LeaderWait.transientError(api(404, 10059, "stream not found")));
    }

    @Test
    void aTransientErrorIsRetriedUntilTheCallSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String r = new LeaderWait(Duration.ofSeconds(10)).call("test", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("Timeout or no response waiting for NATS JetStream server");
            }
            return "ok";
        });
        assertEquals("ok", r);
        assertEquals(3, calls.get());
    }

    @Test
    void anyOtherErrorGoesToTheCallerAtOnceAndATransientOneAtTheBound() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        JetStreamApiException conflict = api(400, 10065, "subjects overlap with an existing stream");
        JetStreamApiException thrown = assertThrows(JetStreamApiException.class, () -> new LeaderWait(Duration.ofSeconds(10))
                .call("test", () -> {
                    calls.incrementAndGet();
                    throw conflict;
                }));
        assertSame(conflict, thrown);
        assertEquals(1, calls.get());

        AtomicInteger transientCalls = new AtomicInteger();
        assertThrows(IOException.class, () -> new LeaderWait(Duration.ofMillis(250)).call("test", () -> {
            transientCalls.incrementAndGet();
            throw new IOException("no responders");
        }));
        assertTrue(transientCalls.get() >= 2, "retried before giving up: " + transientCalls.get());
    }

    private static JetStreamApiException api(int code, int errCode, String description) throws Exception {
        String json = "{\"type\":\"io.nats.jetstream.api.v1.stream_create_response\",\"error\":{\"code\":" + code
                + ",\"err_code\":" + errCode + ",\"description\":\"" + description + "\"}}";
        return new JetStreamApiException(new ApiResponse<Object>(JsonParser.parse(json.toCharArray())) { });
    }
}
