package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.testsupport.Await;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** A patch file applied through ConfigAdmin builds, edits and keeps the chain; a bad one is refused. */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class PatchWiringTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    MetaTypeService metaType;

    RackUnderTest rack;

    @BeforeEach
    void gearsDeployed() throws Exception {
        rack = new RackUnderTest(context);
        rack.deployGearBasic();
    }

    private static String chain(String prefix, String stage) {
        return """
                gears:
                  %1$s-src: { type: probe-source }
                  %1$s-up:
                    type: transform
                    config: { upper: [text], set: [stage=%2$s] }
                  %1$s-sink: { type: probe }
                links:
                  - %1$s-src.out -> %1$s-up.in
                  - %1$s-up.out -> %1$s-sink.in
                """.formatted(prefix, stage);
    }

    @Test
    void patchBuildsTheChainThroughConfigAdminAndMessagesFlowInOrder() throws Exception {
        rack.writePatch(chain("w1", "one"));
        ProbeSource src = rack.gear("w1-src", ProbeSource.class);
        ProbeSink sink = rack.gear("w1-sink", ProbeSink.class);
        Await.until("the chain bound", () -> rack.bound("w1-src", "w1-up", "w1-sink"));
        Await.until("source opened by the rack", src::isOpen);

        Configuration[] configs = configAdmin.listConfigurations("(service.factoryPid=fluxrig.gear.transform)");
        Configuration up = Arrays.stream(configs).filter(c -> "w1-up".equals(c.getProperties().get("fluxrig.gear.instance")))
                .findFirst().orElseThrow();
        assertEquals("fluxrig.gear.transform~w1-up", up.getPid());
        assertEquals(List.of("text"), Arrays.asList((String[]) up.getProperties().get("upper")));

        for (int i = 1; i <= 200; i++) {
            src.emit(FluxMsg.builder().data("seq", i).data("text", "take " + i).build());
        }
        List<FluxMsg> got = sink.received();
        assertEquals(200, got.size(), "synchronous chain: all delivered when emit returns");
        for (int i = 0; i < 200; i++) {
            FluxMsg m = got.get(i);
            assertEquals(i + 1L, m.getLong("seq"));
            assertEquals("TAKE " + (i + 1), m.getString("text"));
            assertEquals("one", m.getString("stage"));
            assertEquals(List.of("w1-src", "w1-up"), m.path().stream().map(Hop::gear).toList());
            assertTrue(m.path().stream().allMatch(h -> h.rack().equals("itest")));
            assertEquals("w1-src", m.src());
        }
    }

    @Test
    void editingThePatchReconfiguresLiveAndKeepsUnchangedInstances() throws Exception {
        rack.writePatch(chain("w2", "before"));
        ProbeSource src = rack.gear("w2-src", ProbeSource.class);
        ProbeSink sink = rack.gear("w2-sink", ProbeSink.class);
        Await.until("source opened", src::isOpen);
        Object sinkId = rack.reference("w2-sink", ProbeSink.class).getProperty("service.id");
        src.emit(FluxMsg.builder().data("text", "a").build());

        rack.writePatch(chain("w2", "after"));
        Await.until("transform reconfigured", () -> {
            try {
                Configuration c = configAdmin.getConfiguration("fluxrig.gear.transform~w2-up", "?");
                return c.getProperties() != null && Arrays.asList((String[]) c.getProperties().get("set")).contains("stage=after");
            } catch (Exception e) {
                return false;
            }
        });
        Await.until("reconfigured transform bound", () -> {
            src.emit(FluxMsg.builder().data("text", "probe").build());
            List<FluxMsg> r = sink.received();
            return "after".equals(r.get(r.size() - 1).getString("stage"));
        });
        assertEquals(sinkId, rack.reference("w2-sink", ProbeSink.class).getProperty("service.id"),
                "an unchanged instance is not restarted");
        assertEquals("before", sink.received().get(0).getString("stage"));

        // Removing a gear from the patch deletes its configuration.
        rack.writePatch("""
                gears:
                  w2-src: { type: probe-source }
                  w2-sink: { type: probe }
                links:
                  - w2-src.out -> w2-sink.in
                """);
        Await.until("w2-up removed", () -> !rack.registered("w2-up"));
        assertNull(configAdmin.listConfigurations("(fluxrig.gear.instance=w2-up)"));
        int before = sink.received().size();
        src.emit(FluxMsg.builder().data("text", "direct").build());
        assertEquals("direct", sink.received().get(before).getString("text"), "relinked straight to the sink");
    }

    @Test
    void badPatchIsRefusedAsAWholeWithEveryProblemAndTheOldFlowKeepsRunning() throws Exception {
        rack.writePatch(chain("w3", "good"));
        ProbeSource src = rack.gear("w3-src", ProbeSource.class);
        ProbeSink sink = rack.gear("w3-sink", ProbeSink.class);
        Await.until("the chain bound", () -> rack.bound("w3-src", "w3-up", "w3-sink"));
        Await.until("source opened", src::isOpen);

        rack.writePatch("""
                gears:
                  w3-src: { type: probe-source }
                  w3-up: { type: nope }
                  w3-tick: { type: timer, config: { interval.ms: -5 } }
                  w3-sink: { type: probe }
                links:
                  - w3-src.out -> w3-up.in
                  - w3-src.loud -> w3-sink.in
                  - w3-ghost.out -> w3-sink.in
                """);
        Await.until("refusal reported by rack:patch", () -> {
            try {
                return rack.command("patch").contains("last refusal");
            } catch (Exception e) {
                return false;
            }
        });
        String report = rack.command("patch");
        assertTrue(report.contains("nope"), report);
        assertTrue(report.contains("interval.ms"), report);
        assertTrue(report.contains("loud"), report);
        assertTrue(report.contains("w3-ghost"), report);

        // The running flow is untouched: the transform is still there and messages still flow.
        assertTrue(rack.registered("w3-up"));
        src.emit(FluxMsg.builder().data("text", "still here").build());
        List<FluxMsg> got = sink.received();
        assertEquals("STILL HERE", got.get(got.size() - 1).getString("text"));
        assertEquals("good", got.get(got.size() - 1).getString("stage"));
    }

    @Test
    void everyGearTypeHasAMetatypeFormForTheConsole() {
        var gearBasic = rack.bundle(RackUnderTest.GEAR_BASIC).orElseThrow();
        MetaTypeInformation info = metaType.getMetaTypeInformation(gearBasic);
        List<String> factories = Arrays.asList(info.getFactoryPids());
        assertTrue(factories.containsAll(List.of("fluxrig.gear.timer", "fluxrig.gear.transform", "fluxrig.gear.log")),
                factories.toString());
        ObjectClassDefinition timer = info.getObjectClassDefinition("fluxrig.gear.timer", null);
        assertTrue(Arrays.stream(timer.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .anyMatch(a -> a.getID().equals("interval.ms")));
    }
}
