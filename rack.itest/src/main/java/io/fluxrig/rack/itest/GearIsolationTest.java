package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Gear;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.testsupport.Await;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/** A gear that rejects, throws or errors is isolated: its failures go to its error port. */
@ExtendWith(BundleContextExtension.class)
class GearIsolationTest {
    @InjectBundleContext
    BundleContext context;

    @Test
    void failuresGoToTheErrorPortAndNeverReachTheEmitter() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        rack.writePatch("""
                gears:
                  iso-src: { type: probe-source }
                  iso-faulty: { type: faulty }
                  iso-ok: { type: probe }
                  iso-errors: { type: probe }
                links:
                  - iso-src.out -> iso-faulty.in
                  - iso-faulty.out -> iso-ok.in
                  - iso-faulty.error -> iso-errors.in
                """);
        ProbeSource src = rack.gear("iso-src", ProbeSource.class);
        ProbeSink ok = rack.gear("iso-ok", ProbeSink.class);
        ProbeSink errors = rack.gear("iso-errors", ProbeSink.class);
        Await.until("every gear bound", () -> rack.bound("iso-src", "iso-faulty", "iso-ok", "iso-errors"));
        Await.until("source opened", src::isOpen);

        for (String fault : new String[] {"none", "reject", "crash", "error", "none"}) {
            src.emit(FluxMsg.builder().data("fault", fault).build()); // must not throw
        }

        assertEquals(List.of("none", "none"), ok.received().stream().map(m -> m.getString("fault")).toList());
        List<FluxMsg> failed = errors.received();
        assertEquals(List.of("reject", "crash", "error"), failed.stream().map(m -> m.getString("fault")).toList());
        assertEquals("field fault: asked to reject", failed.get(0).meta(Gear.META_ERROR));
        assertTrue(failed.get(1).meta(Gear.META_ERROR).contains("asked to crash"), failed.get(1).meta().toString());
        assertTrue(failed.get(2).meta(Gear.META_ERROR).contains("asked to throw an Error"), failed.get(2).meta().toString());
        failed.forEach(m -> assertEquals("iso-faulty", m.meta(Gear.META_ERROR_GEAR)));

        String table = rack.command("gears");
        String faultyRow = table.lines().filter(l -> l.startsWith("iso-faulty")).findFirst().orElseThrow();
        // columns from the right: ... STATE IN OUT ERRORS BUFFERED
        String[] cols = faultyRow.trim().split("\\s+");
        int n = cols.length;
        assertEquals("bound", cols[n - 5], table);
        assertEquals("5", cols[n - 4], "in: " + table);
        assertEquals("2", cols[n - 3], "out: " + table);
        assertEquals("3", cols[n - 2], "errors: " + table);
    }
}
