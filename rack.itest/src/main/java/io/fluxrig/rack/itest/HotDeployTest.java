package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.testsupport.Await;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * Gear bundles in the rack's gears/ folder: dropping one makes its types available and the
 * waiting patch starts; replacing it under a steady stream loses and duplicates nothing;
 * deleting it removes its types.
 */
@ExtendWith(BundleContextExtension.class)
class HotDeployTest {
    private static final int STREAM = 3000;

    @InjectBundleContext
    BundleContext context;

    @Test
    void droppedUpdatedAndDeletedUnderASteadyStream() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        rack.removeGearBasic();

        // A patch naming a type no bundle provides yet is held, not applied.
        rack.writePatch("""
                gears:
                  hot-src: { type: probe-source }
                  hot-up: { type: transform, config: { upper: [text] } }
                  hot-sink: { type: probe }
                links:
                  - hot-src.out -> hot-up.in
                  - hot-up.out -> hot-sink.in
                """);
        Await.until("patch refused while transform is unknown", () -> {
            try {
                return rack.command("patch").contains("transform");
            } catch (Exception e) {
                return false;
            }
        });

        // Dropping the bundle makes the type known: the patch applies and messages flow.
        Bundle first = rack.deployGearBasic();
        ProbeSource src = rack.gear("hot-src", ProbeSource.class);
        ProbeSink sink = rack.gear("hot-sink", ProbeSink.class);
        Await.until("transform instance bound", () -> rack.registered("hot-up"));
        Await.until("source opened", src::isOpen);
        src.emit(FluxMsg.builder().data("seq", 0).data("text", "warm up").build());
        // A gear's service is visible in the registry a moment before the router has bound it; a
        // message for an instance not bound yet waits in its inlet and is delivered on binding.
        Await.until("warm-up message through the chain", () -> !sink.received().isEmpty());
        assertEquals("WARM UP", sink.received().get(0).getString("text"));

        // Replace the bundle file while a producer streams: FileInstall updates the bundle,
        // the transform instance goes away and comes back, and every message arrives once, in order.
        long updatedBefore = first.getLastModified();
        Object serviceBefore = rack.reference("hot-up", io.fluxrig.gear.Gear.class).getProperty("service.id");
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= STREAM; i++) {
                src.emit(FluxMsg.builder().data("seq", i).data("text", "m" + i).build());
                if (i % 10 == 0) {
                    sleep(2);
                }
            }
        });
        Await.until("the stream under way", () -> sink.received().size() > STREAM / 10);
        rack.replaceGearBasic("rev-2");
        producer.get(60, TimeUnit.SECONDS);
        Await.until("bundle updated", () -> first.getLastModified() != updatedBefore);
        Await.until("all streamed messages delivered", () -> sink.received().size() == STREAM + 1);

        List<FluxMsg> got = sink.received().subList(1, STREAM + 1);
        for (int i = 0; i < STREAM; i++) {
            assertEquals(i + 1L, got.get(i).getLong("seq"), "message " + (i + 1) + " lost, duplicated or reordered");
            assertEquals("M" + (i + 1), got.get(i).getString("text"), "every message went through a transform");
        }
        assertNotEquals(serviceBefore, rack.reference("hot-up", io.fluxrig.gear.Gear.class).getProperty("service.id"),
                "the transform instance was replaced by the update");
        // A marker after the stream, through the same chain: nothing of the stream may follow it.
        src.emit(FluxMsg.builder().data("seq", STREAM + 1).data("text", "marker").build());
        Await.until("the marker delivered", () -> sink.received().size() >= STREAM + 2);
        assertEquals(STREAM + 2, sink.received().size(), "no late duplicates");
        assertEquals("MARKER", sink.received().get(STREAM + 1).getString("text"));

        // Deleting the file uninstalls the bundle; the instance waits for its type again.
        rack.removeGearBasic();
        Await.until("transform instance gone", () -> !rack.registered("hot-up"));
        assertTrue(rack.command("gears").contains("hot-up"), rack.command("gears"));
        rack.deployGearBasic();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
