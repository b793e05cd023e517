package io.fluxrig.cli.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's core racks and the counts read from their Prometheus text (pure logic). */
class DemoCoresTest {
    @Test
    void coresAreNamedAndPlacedAfterTheFirst() {
        DemoCommand.Ports ports = new DemoCommand.Ports(24000, 24001, 24002, 24003, 24004, 24005, 24006);
        assertEquals(List.of(new DemoCores.Core("core", 24004), new DemoCores.Core("core2", 24074), new DemoCores.Core("core3", 24075)),
                DemoCores.cores(ports, 3));
        assertEquals(List.of(new DemoCores.Core("core", 24004)), DemoCores.cores(ports, 1));
    }

    @Test
    void samplesAreSummedOverTheSeriesWithTheLabel() {
        String text = """
                # TYPE fluxrig_wire_delivered_total counter
                fluxrig_wire_delivered_total{messaging_consumer_group_name="core-issuer-auth_requests",messaging_destination_name="auth.requests",otel_scope_name="x"} 1234.0
                fluxrig_wire_delivered_total{messaging_consumer_group_name="core-other-auth_requests_x",messaging_destination_name="auth.requests.x"} 7.0
                fluxrig_gear_messages_in_total{fluxrig_gear_instance="issuer",fluxrig_gear_type="json.http"} 1.2e3
                fluxrig_gear_messages_in_total{fluxrig_gear_instance="system-error",fluxrig_gear_type="transform"} 5
                """;
        assertEquals(1234, DemoCores.sum(text, "fluxrig_wire_delivered_total", "messaging_destination_name=\"auth.requests\""));
        assertEquals(1200, DemoCores.sum(text, "fluxrig_gear_messages_in_total", "fluxrig_gear_instance=\"issuer\""));
        assertEquals(0, DemoCores.sum(text, "fluxrig_wire_redelivered_total", "messaging_destination_name=\"auth.requests\""));
    }

    @Test
    void eachCoresLineSaysItsShare() {
        List<String> lines = DemoCores.lines(List.of(new DemoCores.Count("core", 600, 603, 3), new DemoCores.Count("core2", 400, 400, 0)));
        assertEquals("core:      600 requests ( 60%),     603 auth.requests deliveries, 3 redelivered", lines.get(0));
        assertEquals("core2:     400 requests ( 40%),     400 auth.requests deliveries, 0 redelivered", lines.get(1));
    }
}
