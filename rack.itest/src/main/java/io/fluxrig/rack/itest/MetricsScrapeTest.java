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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The rack's Prometheus endpoint scraped for real over HTTP: refused without the bearer token of
 * the rack's token file, and with it the per gear instance counters equal the messages sent; an
 * ISO 8583 server's connections, frames, codec errors and answers equal the terminal traffic.
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
        Await.until("both gears bound", () -> rack.bound("ms-src", "ms-sink"));
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

    /**
     * While metrics are on, the live page is a Web Console plugin whose properties come from
     * console.guard's property type, and its component activates (it gets the telemetry's sources).
     */
    @Test
    void theLivePageIsAWebConsolePluginWhileMetricsAreOn() throws Exception {
        String filter = "(felix.webconsole.label=fluxrig-live)";
        Await.until("the live page's servlet", () -> {
            try {
                return context.getServiceReferences("jakarta.servlet.Servlet", filter) != null;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
        org.osgi.framework.ServiceReference<?>[] pages = context.getServiceReferences("jakarta.servlet.Servlet", filter);
        assertEquals(1, pages.length, Arrays.toString(pages));
        assertEquals("fluxrig live", pages[0].getProperty("felix.webconsole.title"));
        assertEquals("fluxrig", pages[0].getProperty("felix.webconsole.category"));
        try {
            assertTrue(context.getService(pages[0]) != null, "the page's component activates");
        } finally {
            context.ungetService(pages[0]);
        }
    }

    @Test
    void anIso8583ServersTrafficIsCountedWithoutCardDataInAnyLabel() throws Exception {
        int port = RackUnderTest.freePort();
        RackUnderTest rack = new RackUnderTest(context);
        rack.writePatch(RackUnderTest.issuerPatch("ms", port, "decline.amount.over: 10000"));
        RackUnderTest.awaitListening(port);
        String pan = "4111111111111111";
        try (java.net.Socket t = new java.net.Socket("127.0.0.1", port)) {
            t.setSoTimeout(10_000);
            java.io.DataOutputStream out = new java.io.DataOutputStream(t.getOutputStream());
            java.io.DataInputStream in = new java.io.DataInputStream(t.getInputStream());
            for (int i = 0; i < SENT; i++) {
                frame(out, IsoSamples.AUTH_0200);
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                assertTrue(new String(answer, java.nio.charset.StandardCharsets.US_ASCII).startsWith("0210"));
            }
            // Bytes that are no ISO 8583 message (a card number in them): refused by the decoder, never answered.
            frame(out, "02x0" + pan);
            String token = Files.readString(awaitToken()).strip();
            URI metrics = URI.create(httpEndpoint() + "metrics");
            Await.until("the refused frame counted", () -> scrape(metrics, token).lines().anyMatch(l ->
                    l.startsWith("fluxrig_iso8583_codec_errors_total{") && l.contains("fluxrig_gear_instance=\"ms-dec\"")));
            String text = scrape(metrics, token);
            assertEquals(1, sample(text, "fluxrig_iso8583_codec_errors_total", "ms-dec"), text);
            assertEquals(SENT + 1, sample(text, "fluxrig_iso8583_server_frames_in_total", "ms-tcp"), text);
            assertEquals(SENT, sample(text, "fluxrig_iso8583_server_frames_out_total", "ms-tcp"), text);
            assertEquals(1, sample(text, "fluxrig_iso8583_server_connections_open", "ms-tcp"), text);
            assertEquals(1, sample(text, "fluxrig_iso8583_server_in_flight", "ms-tcp"), "the refused frame waits for no answer: " + text);
            assertEquals(SENT, sample(text, "fluxrig_iso8583_server_answer_duration_seconds_count", "ms-tcp"), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("fluxrig_iso8583_codec_errors_total{") && l.contains("error_type=\"codec\"")
                    && l.contains("fluxrig_iso8583_direction=\"decode\"")), text);
            assertFalse(text.contains(pan) || text.contains("411111"), "no card data in the metrics");
        }
    }

    private static void frame(java.io.DataOutputStream out, String message) throws java.io.IOException {
        byte[] body = message.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeShort(body.length);
        out.write(body);
        out.flush();
    }

    private Path awaitToken() throws InterruptedException {
        Path tokenFile = Path.of(context.getProperty("fluxrig.rack.data"), "metrics.token");
        Await.until("the metrics token file", () -> Files.isRegularFile(tokenFile));
        return tokenFile;
    }

    private String scrape(URI metrics, String token) {
        try {
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            return ok.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the sum of the samples {@code name{...fluxrig_gear_instance="instance"...}}, failing when there is none */
    private static long sample(String text, String name, String instance) {
        List<String> lines = text.lines().filter(l -> l.startsWith(name + "{")
                && l.contains("fluxrig_gear_instance=\"" + instance + "\"")).toList();
        assertFalse(lines.isEmpty(), name + " for " + instance + " in:\n" + text);
        return lines.stream().mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
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
