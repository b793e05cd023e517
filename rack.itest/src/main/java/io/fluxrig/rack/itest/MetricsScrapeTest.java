package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.itest.probe.ProbeSink;
import io.fluxrig.rack.itest.probe.ProbeSource;
import io.fluxrig.testsupport.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The rack's Prometheus endpoint scraped for real over HTTP: refused without the bearer token of
 * the rack's token file, and with it the per gear instance counters equal the messages sent.
 */
@ExtendWith(BundleContextExtension.class)
class MetricsScrapeTest {
    private static final int SENT = 25;

    @InjectBundleContext
    BundleContext context;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void clear() throws Exception {
        new RackUnderTest(context).writePatch("gears: {}\nlinks: []\n");
    }

    @Test
    void aScrapeWithTheTokenShowsTheGearCountsAndOneWithoutIsRefused() throws Exception {
        RackUnderTest rack = new RackUnderTest(context);
        rack.writePatch("""
                gears:
                  ms-src: { type: probe-source }
                  ms-sink: { type: probe }
                links:
                  - ms-src.out -> ms-sink.in
                """);
        ProbeSource src = rack.gear("ms-src", ProbeSource.class);
        ProbeSink sink = rack.gear("ms-sink", ProbeSink.class);
        Await.until("source opened", src::isOpen);
        for (int i = 0; i < SENT; i++) {
            src.emit(FluxMsg.builder().data("seq", (long) i).build());
        }
        assertEquals(SENT, sink.received().size());

        URI metrics = URI.create(httpEndpoint() + "metrics");
        Path tokenFile = Path.of(context.getProperty("fluxrig.rack.data"), "metrics.token");
        Await.until("the metrics token file", () -> Files.isRegularFile(tokenFile));
        String token = Files.readString(tokenFile).strip();

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode());
        assertFalse(refused.body().contains("fluxrig_gear"), refused.body());
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + token + "x")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode());

        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), ok.headers().toString());
        String text = ok.body();
        assertEquals(SENT, sample(text, "fluxrig_gear_messages_in_total", "ms-sink"), text);
        assertEquals(SENT, sample(text, "fluxrig_gear_messages_out_total", "ms-src"), text);
        assertEquals(0, sample(text, "fluxrig_gear_errors_total", "ms-sink"), text);
        assertEquals(SENT, sample(text, "fluxrig_gear_duration_seconds_count", "ms-sink"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("jvm_memory_used_bytes{")), text);
        assertTrue(text.contains("fluxrig_rack=\"itest\"") || text.contains("service_instance_id=\"itest\""), text);
    }

    /** @return the value of the sample {@code name{...fluxrig_gear_instance="instance"...}} */
    private static long sample(String text, String name, String instance) {
        Optional<String> line = text.lines().filter(l -> l.startsWith(name + "{")
                && l.contains("fluxrig_gear_instance=\"" + instance + "\"")).findFirst();
        assertTrue(line.isPresent(), name + " for " + instance + " in:\n" + text);
        String v = line.get().substring(line.get().lastIndexOf(' ') + 1);
        return (long) Double.parseDouble(v);
    }

    /** @return the rack's HTTP server, from its runtime service's {@code osgi.http.endpoint} */
    private String httpEndpoint() throws Exception {
        Await.until("the HTTP runtime", () -> runtime() != null);
        Object endpoints = runtime().getProperty("osgi.http.endpoint");
        String first = endpoints instanceof String[] a ? a[0]
                : endpoints instanceof java.util.Collection<?> c ? String.valueOf(c.iterator().next()) : String.valueOf(endpoints);
        assertTrue(first.startsWith("http://"), Arrays.toString(endpoints instanceof String[] a ? a : new String[] {first}));
        return first.endsWith("/") ? first : first + "/";
    }

    private org.osgi.framework.ServiceReference<?> runtime() {
        try {
            var refs = context.getServiceReferences((String) null, "(osgi.http.endpoint=*)");
            return refs == null || refs.length == 0 ? null : refs[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
