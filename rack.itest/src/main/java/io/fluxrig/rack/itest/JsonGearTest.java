package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * gear.json inside the rack: an ISO 8583 0200 decoded by iso8583.codec becomes the canonical
 * JSON authorisation request through json.map's shipped mapping, and json.codec reads it back
 * into data with its types.
 */
@ExtendWith(BundleContextExtension.class)
class JsonGearTest {
    @InjectBundleContext
    BundleContext context;

    @Test
    void isoRequestBecomesTheCanonicalJsonAuthorisation() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        rack.writePatch("""
                gears:
                  j-in: { type: probe-source }
                  j-dec: { type: iso8583.codec, config: { direction: decode } }
                  j-map: { type: json.map, config: { mapping: iso-auth-request, target: raw } }
                  j-read: { type: json.codec, config: { direction: decode, source: raw, target: data } }
                  j-json: { type: probe }
                  j-data: { type: probe }
                links:
                  - j-in.out -> j-dec.in
                  - j-dec.out -> j-map.in
                  - j-map.out -> j-json.in
                  - j-map.out -> j-read.in
                  - j-read.out -> j-data.in
                """);
        ProbeSource in = rack.gear("j-in", ProbeSource.class);
        ProbeSink json = rack.gear("j-json", ProbeSink.class);
        ProbeSink data = rack.gear("j-data", ProbeSink.class);
        Await.until("every gear bound", () -> rack.bound("j-in", "j-dec", "j-map", "j-read", "j-json", "j-data"));
        Await.until("source opened", in::isOpen);

        in.emit(FluxMsg.builder().raw(IsoSamples.AUTH_0200.getBytes(StandardCharsets.US_ASCII)).build());

        List<FluxMsg> docs = json.received();
        assertEquals(1, docs.size());
        String body = new String(docs.get(0).raw().toByteArray(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"amount\":{\"value\":\"123.45\",\"currency\":\"USD\"}"), body);
        assertTrue(body.contains("\"stan\":\"000123\""), body);
        assertTrue(body.contains("\"terminal\":\"TERM0001\""), body);

        FluxMsg read = data.received().get(0);
        assertEquals("0200", read.getString("message_type"));
        assertEquals("123.45", read.getString("amount.value"));
        assertEquals("USD", read.getString("amount.currency"));
    }
}
