package io.fluxrig.rack.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The live page's last failed messages: bounded, newest first, reasons masked, trace ids from the traceparent. */
class FailedMessageLogTest {
    private static final String PAN = "4761739001010119";
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void keepsTheNewestNWithTimeGearMaskedReasonAndTraceId() throws Exception {
        AtomicLong now = new AtomicLong(1000);
        FailedMessageLog log = new FailedMessageLog(3, now::getAndIncrement);
        for (int i = 0; i < 5; i++) {
            log.failed("to-json", "'" + PAN + "=2812201987654321' is longer than 19 (" + i + ")", "00-" + TRACE + "-00f067aa0ba902b7-01");
        }
        List<Map<String, Object>> recent = log.recent();
        assertEquals(3, recent.size(), "bounded: " + recent);
        assertEquals(1004L, recent.get(0).get("at"), "newest first");
        assertEquals(1002L, recent.get(2).get("at"));
        assertEquals("to-json", recent.get(0).get("gear"));
        assertEquals("'476173******0119=****' is longer than 19 (4)", recent.get(0).get("reason"));
        assertEquals(TRACE, recent.get(0).get("trace_id"));

        StringWriter json = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
            LiveConsolePlugin.write(g, Map.of("failed", recent));
        }
        assertTrue(json.toString().startsWith("{\"failed\":[{\"at\":1004,\"gear\":\"to-json\""), json.toString());
        assertFalse(json.toString().contains(PAN), json.toString());
    }

    @Test
    void cutsLongReasonsAndToleratesMissingParts() {
        FailedMessageLog log = new FailedMessageLog(1, () -> 7L);
        log.failed("decode", "x".repeat(5000), "not a traceparent");
        Map<String, Object> e = log.recent().get(0);
        assertEquals(FailedMessageLog.MAX_REASON, e.get("reason").toString().length());
        assertNull(e.get("trace_id"));
        log.failed("wire auth.requests (core-issuer)", null, null);
        assertEquals("", log.recent().get(0).get("reason"));
        assertEquals(1, log.recent().size());
    }

    @Test
    void capacityFromTheConfigurationWithItsDefaultAndBounds() {
        assertEquals(20, FailedMessageLog.capacity(Map.of()));
        assertEquals(5, FailedMessageLog.capacity(Map.of(FailedMessageLog.CAPACITY_PROPERTY, 5)));
        assertEquals(50, FailedMessageLog.capacity(Map.of(FailedMessageLog.CAPACITY_PROPERTY, " 50 ")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FailedMessageLog.capacity(Map.of(FailedMessageLog.CAPACITY_PROPERTY, "0")));
        assertTrue(e.getMessage().contains("live.failed.messages"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FailedMessageLog.capacity(Map.of(FailedMessageLog.CAPACITY_PROPERTY, 1001)));
        assertThrows(IllegalArgumentException.class, () -> new FailedMessageLog(0, () -> 0L));
    }
}
