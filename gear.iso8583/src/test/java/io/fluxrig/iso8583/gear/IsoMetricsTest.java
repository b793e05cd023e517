package io.fluxrig.iso8583.gear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.Await;
import io.fluxrig.testsupport.RecordingContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's and codec's metrics, collected by the real SDK, after real traffic over loopback
 * sockets: counts equal what was sent, refused and broken.
 */
class IsoMetricsTest {
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        meters.close();
    }

    @Test
    void connectionsFramesRefusalsFramingErrorsAndAnswersAreCounted() throws Exception {
        ServerGear server = new ServerGear(Configs.of(ServerConfig.class, Map.of("port", 0, "max_connections", 2, "max_frame_bytes", 100)));
        RecordingContext ctx = new RecordingContext("srv");
        // The downstream answers on the caller's thread, as the rack's synchronous links do; the
        // answer keeps the request's path, which holds the hop the rack adds when the server emits.
        ctx.route("out", m -> {
            FluxMsg request = m.withHop(ctx.rack(), "srv", FluxMsg.nowNanos());
            server.onMessage("in", request.derive().raw(("ACK" + request.raw().length()).getBytes(StandardCharsets.US_ASCII)).build(), ctx);
        });
        server.bindMeters(meters);
        server.open(ctx);
        cleanup.add(server::close);
        Framing f = Framing.of("binary2");

        Socket c1 = connect(server);
        Socket c2 = connect(server);
        Await.until("two connections open", () -> server.counters().connectionsOpen() == 2);
        Socket c3 = connect(server);
        assertTrue(closedByServer(c3), "the third connection is refused");
        for (int i = 0; i < 5; i++) {
            c1.getOutputStream().write(f.frame(new byte[0], ("0800" + i).getBytes(StandardCharsets.US_ASCII)));
            c1.setSoTimeout(20_000);
            f.read(c1.getInputStream(), 0, 100);
        }
        c2.getOutputStream().write(new byte[] {0x10, 0x00});
        assertTrue(closedByServer(c2), "a 4096-byte frame over max.frame.bytes 100 closes its connection");
        Await.until("one connection open, one failed", () -> server.counters().connectionsOpen() == 1
                && server.counters().connectionsFailed() == 1);

        Collection<MetricData> m = reader.collectAllMetrics();
        assertEquals(1, value(m, "fluxrig.iso8583.server.connections.open", Map.of()));
        assertEquals(2, value(m, "fluxrig.iso8583.server.connections.accepted", Map.of()));
        assertEquals(1, value(m, "fluxrig.iso8583.server.connections.refused", Map.of("reason", "max_connections")));
        assertEquals(0, value(m, "fluxrig.iso8583.server.connections.refused", Map.of("reason", "max_connections_per_address")));
        assertEquals(1, value(m, "fluxrig.iso8583.server.connections.failed", Map.of("error.type", "frame_too_long")));
        assertEquals(0, value(m, "fluxrig.iso8583.server.connections.failed", Map.of("error.type", "idle_timeout")));
        assertEquals(5, value(m, "fluxrig.iso8583.server.frames.in", Map.of()));
        assertEquals(5, value(m, "fluxrig.iso8583.server.frames.out", Map.of()));
        assertEquals(0, value(m, "fluxrig.iso8583.server.in_flight", Map.of()));
        MetricData answers = metric(m, "fluxrig.iso8583.server.answer.duration");
        assertEquals(5, answers.getHistogramData().getPoints().iterator().next().getCount(), "every answer timed");
        assertEquals("srv", answers.getHistogramData().getPoints().iterator().next().getAttributes()
                .get(AttributeKey.stringKey("fluxrig.gear.instance")));
    }

    @Test
    void aRequestNotYetAnsweredIsInFlightUntilItsAnswerIsWritten() throws Exception {
        ServerGear server = new ServerGear(Configs.of(ServerConfig.class, Map.of("port", 0)));
        RecordingContext ctx = new RecordingContext("held");
        server.bindMeters(meters);
        server.open(ctx);
        cleanup.add(server::close);
        Framing f = Framing.of("binary2");
        Socket c = connect(server);
        c.getOutputStream().write(f.frame(new byte[0], "0800".getBytes(StandardCharsets.US_ASCII)));
        FluxMsg request = ctx.take("out");
        assertEquals(1, value(reader.collectAllMetrics(), "fluxrig.iso8583.server.in_flight", Map.of()));
        server.onMessage("in", request.derive().raw("0810".getBytes(StandardCharsets.US_ASCII)).build(), ctx);
        Collection<MetricData> m = reader.collectAllMetrics();
        assertEquals(0, value(m, "fluxrig.iso8583.server.in_flight", Map.of()));
        assertEquals(1, value(m, "fluxrig.iso8583.server.frames.out", Map.of()));
        assertTrue(m.stream().noneMatch(d -> d.getName().equals("fluxrig.iso8583.server.answer.duration")),
                "an answer without the request's hop is not timed");
    }

    @Test
    void codecErrorsAreCountedByFieldNeverByValue() throws Exception {
        CodecGear decode = new CodecGear(Configs.of(CodecConfig.class, Map.of("direction", "decode")));
        decode.bindMeters(meters);
        RecordingContext ctx = new RecordingContext("dec");
        String pan = "4111111111111111";
        assertThrows(GearRejection.class, () -> decode.onMessage("in", FluxMsg.builder().raw(("02x0" + pan).getBytes(StandardCharsets.US_ASCII))
                .build(), ctx));
        assertThrows(GearRejection.class, () -> decode.onMessage("in", FluxMsg.builder().raw(("01" + pan).getBytes(StandardCharsets.US_ASCII))
                .build(), ctx));
        assertThrows(GearRejection.class, () -> decode.onMessage("in", FluxMsg.builder().build(), ctx));
        Collection<MetricData> m = reader.collectAllMetrics();
        MetricData errors = metric(m, "fluxrig.iso8583.codec.errors");
        long total = errors.getLongSumData().getPoints().stream().mapToLong(LongPointData::getValue).sum();
        assertEquals(3, total, errors.toString());
        assertEquals(1, value(m, "fluxrig.iso8583.codec.errors", Map.of("error.type", "no_bytes", "iso8583.field", "message",
                "fluxrig.iso8583.direction", "decode")));
        assertTrue(errors.getLongSumData().getPoints().stream().allMatch(p -> p.getAttributes().get(AttributeKey.stringKey("error.type"))
                .matches("codec|no_bytes")), errors.toString());
        assertTrue(!errors.toString().contains(pan) && !errors.toString().contains("411111"), errors.toString());
    }

    private Socket connect(ServerGear server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.localPort());
        cleanup.add(s);
        return s;
    }

    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private static MetricData metric(Collection<MetricData> all, String name) {
        return all.stream().filter(d -> d.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not collected: " + all));
    }

    /** @return the one long point of {@code name} whose attributes include {@code attrs} */
    private static long value(Collection<MetricData> all, String name, Map<String, String> attrs) {
        MetricData d = metric(all, name);
        Collection<LongPointData> points = d.getLongSumData().getPoints();
        List<LongPointData> match = points.stream().filter(p -> attrs.entrySet().stream()
                .allMatch(e -> e.getValue().equals(p.getAttributes().get(AttributeKey.stringKey(e.getKey()))))).toList();
        assertEquals(1, match.size(), name + attrs + " in " + points);
        return match.get(0).getValue();
    }
}
