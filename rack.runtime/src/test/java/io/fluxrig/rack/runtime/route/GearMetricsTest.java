package io.fluxrig.rack.runtime.route;

import static io.fluxrig.rack.runtime.route.TestGears.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router's per gear instance metrics, collected by the real SDK. */
class GearMetricsTest {
    private static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("fluxrig.gear.instance");
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final Router router = new Router("edge", 100, 1_000, 1_000);

    @AfterEach
    void close() {
        router.close();
        meters.close();
    }

    @Test
    void countsAndDurationsPerInstanceMatchTheMessagesSent() {
        router.applyPatch(patch("gears: { src: timer, a: transform, b: log }\nlinks: [ src.out -> a.in, a.out -> b.in ]\n"));
        router.metrics(meters);
        TestGears.Source src = new TestGears.Source();
        router.offerGear("src", src, "t");
        router.offerGear("a", new Gear() {
            @Override
            public void onMessage(String port, FluxMsg msg, GearContext c) throws GearRejection {
                if (msg.getLong("seq") % 5 == 0) {
                    throw new GearRejection("every fifth refused");
                }
                if (msg.getLong("seq") % 7 == 0) {
                    throw new IllegalStateException("every seventh fails");
                }
                c.emit(PORT_OUT, msg);
            }
        }, "t");
        router.offerGear("b", new TestGears.Recorder(false), "t");
        for (long i = 1; i <= 35; i++) {
            src.context.emit(Gear.PORT_OUT, TestGears.msg(i));
        }
        Collection<MetricData> all = reader.collectAllMetrics();
        // 35 in; 7 rejected (5,10,..,35), 4 failed (7,14,21,28; 35 is a rejection); 24 passed on.
        assertEquals(35, value(all, "fluxrig.gear.messages.in", "a"));
        assertEquals(24, value(all, "fluxrig.gear.messages.out", "a"));
        assertEquals(7, value(all, "fluxrig.gear.rejected", "a"));
        assertEquals(11, value(all, "fluxrig.gear.errors", "a"));
        assertEquals(24, value(all, "fluxrig.gear.messages.in", "b"));
        assertEquals(35, value(all, "fluxrig.gear.messages.out", "src"));
        HistogramPointData d = all.stream().filter(m -> m.getName().equals("fluxrig.gear.duration"))
                .flatMap(m -> m.getHistogramData().getPoints().stream())
                .filter(p -> "a".equals(p.getAttributes().get(INSTANCE))).findFirst().orElseThrow();
        assertEquals(35, d.getCount());
        assertEquals("transform", d.getAttributes().get(AttributeKey.stringKey("fluxrig.gear.type")));
        assertTrue(d.getSum() > 0);

        router.metrics(null);
        assertTrue(reader.collectAllMetrics().stream().noneMatch(m -> m.getName().equals("fluxrig.gear.messages.in")
                && !m.getLongSumData().getPoints().isEmpty()), "no counters once the provider is gone");
    }

    private static long value(Collection<MetricData> all, String name, String instance) {
        return all.stream().filter(m -> m.getName().equals(name)).flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> instance.equals(p.getAttributes().get(INSTANCE))).mapToLong(LongPointData::getValue)
                .findFirst().orElseThrow(() -> new AssertionError(name + " for " + instance + " in " + all));
    }
}
