package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Gear;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.testsupport.Await;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The iso8583.codec gear inside the rack: a decode instance and an encode instance, configured
 * from the patch, give back the wire bytes bit for bit; a malformed frame is rejected to the
 * error port with its field, offset and reason, and the flow keeps running.
 */
@ExtendWith(BundleContextExtension.class)
class Iso8583GearTest {
    @InjectBundleContext
    BundleContext context;

    @Test
    void decodeThenEncodeIsBitPerfectAndBadFramesAreRejectedWithTheirOffset() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        rack.writePatch("""
                gears:
                  iso-in: { type: probe-source }
                  iso-dec: { type: iso8583.codec, config: { dialect: iso87ascii, direction: decode } }
                  iso-enc: { type: iso8583.codec, config: { dialect: iso87ascii, direction: encode } }
                  iso-out: { type: probe }
                  iso-bad: { type: probe }
                links:
                  - iso-in.out -> iso-dec.in
                  - iso-dec.out -> iso-enc.in
                  - iso-enc.out -> iso-out.in
                  - iso-dec.error -> iso-bad.in
                """);
        ProbeSource in = rack.gear("iso-in", ProbeSource.class);
        ProbeSink out = rack.gear("iso-out", ProbeSink.class);
        ProbeSink bad = rack.gear("iso-bad", ProbeSink.class);
        Await.until("codec and probe instances bound", () -> rack.registered("iso-dec") && rack.registered("iso-enc")
                && rack.registered("iso-out") && rack.registered("iso-bad"));
        Await.until("source opened", in::isOpen);

        byte[] wire = IsoSamples.AUTH_0200.getBytes(StandardCharsets.US_ASCII);
        in.emit(FluxMsg.builder().raw(wire).meta("conn", "c-17").build());
        // A frame cut inside field 2's length-prefixed value.
        in.emit(FluxMsg.builder().raw(java.util.Arrays.copyOf(wire, 28)).meta("conn", "c-18").build());

        Await.until("the whole frame encoded again", () -> out.received().size() == 1);
        Await.until("the cut frame refused", () -> bad.received().size() == 1);
        List<FluxMsg> good = out.received();
        assertEquals(1, good.size());
        assertEquals(Bytes.of(wire), good.get(0).raw(), "encode(decode(b)) == b inside the rack");
        assertEquals("c-17", good.get(0).meta("conn"), "meta of the request travels through both gears");

        List<FluxMsg> rejected = bad.received();
        assertEquals(1, rejected.size());
        String reason = rejected.get(0).meta(Gear.META_ERROR);
        assertTrue(reason.contains("field 2") && reason.contains("offset"), reason);
        assertEquals("c-18", rejected.get(0).meta("conn"));
    }
}
