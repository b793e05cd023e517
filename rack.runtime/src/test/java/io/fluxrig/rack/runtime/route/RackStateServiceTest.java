package io.fluxrig.rack.runtime.route;

import static io.fluxrig.rack.runtime.route.TestGears.msg;
import static io.fluxrig.rack.runtime.route.TestGears.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Gear;
import io.fluxrig.rack.runtime.RackConfiguration;
import io.fluxrig.rack.runtime.RackStateService;
import io.fluxrig.rack.runtime.deploy.GearOrigins;
import io.fluxrig.telemetry.RackFlow;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * {@link RackStateService#latencies()} (the live page's p50/p99 per gear) read from a real
 * {@link GearBinder} and its router with hand-written gears; the patch loop is not needed for it.
 * Lives in the route package to bind gears as DS does ({@code bindGear} is package-private).
 */
class RackStateServiceTest {
    @TempDir
    Path dir;

    private GearBinder binder;

    @AfterEach
    void close() {
        if (binder != null) {
            binder.deactivate();
        }
    }

    @Test
    void latenciesNameOnlyTheGearsCalledInTheWindowWithTheirRouterFigures() {
        binder = new GearBinder(new RackConfiguration(frameworkWithoutProperties(), Map.of("name", "r1")),
                new GearOrigins(dir.resolve("origins.properties")));
        binder.applyPatch(patch("gears: { src: timer, a: transform, b: log, idle: log }\nlinks: [ src.out -> a.in, a.out -> b.in ]\n"));
        TestGears.Source src = new TestGears.Source();
        bind("src", src);
        bind("a", new TestGears.Recorder(true));
        bind("b", new TestGears.Recorder(false));
        bind("idle", new TestGears.Recorder(false));
        for (long i = 1; i <= 40; i++) {
            src.context.emit(Gear.PORT_OUT, msg(i));
        }
        RackStateService state = new RackStateService(null, binder);

        Map<String, RackFlow.Latency> latencies = state.latencies();

        assertEquals(List.of("a", "b"), List.copyOf(latencies.keySet()),
                "the gears called in the window, in the rows' order; the source (never called) and the idle gear are left out");
        for (String name : latencies.keySet()) {
            GearRow.Latency row = binder.rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().latency();
            RackFlow.Latency l = latencies.get(name);
            assertEquals(40, l.calls(), name);
            assertEquals(new RackFlow.Latency(row.calls(), row.p50Millis(), row.p99Millis(), row.windowMillis()), l, name);
            assertTrue(l.p50Millis() > 0 && l.p50Millis() <= l.p99Millis(), name + ": " + l);
            assertTrue(l.windowMillis() > 0, name + ": " + l);
        }
        assertEquals(latencies.get("a").calls(), state.gears().stream().filter(g -> g.name().equals("a")).findFirst().orElseThrow()
                .latency().calls(), "the gear table reads the same window");
    }

    @Test
    void noCallsNoLatencies() {
        binder = new GearBinder(new RackConfiguration(frameworkWithoutProperties(), Map.of("name", "r1")),
                new GearOrigins(dir.resolve("origins.properties")));
        binder.applyPatch(patch("gears: { a: transform }\n"));
        bind("a", new TestGears.Recorder(false));
        assertEquals(Map.of(), new RackStateService(null, binder).latencies());
    }

    /** Binds a gear as DS does: a reference carrying the instance name, from no bundle. */
    private void bind(String instance, Gear gear) {
        binder.bindGear(reference(instance), gear);
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<Gear> reference(String instance) {
        return (ServiceReference<Gear>) Proxy.newProxyInstance(RackStateServiceTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (p, m, args) -> switch (m.getName()) {
                    case "getProperty" -> Gear.INSTANCE.equals(args[0]) ? instance : null;
                    case "getBundle" -> null;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> "reference to " + instance;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** The rack's settings read framework properties only where the configuration says nothing: none here. */
    private static BundleContext frameworkWithoutProperties() {
        return (BundleContext) Proxy.newProxyInstance(RackStateServiceTest.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, args) -> switch (m.getName()) {
                    case "getProperty" -> null;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> "a framework without properties";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
