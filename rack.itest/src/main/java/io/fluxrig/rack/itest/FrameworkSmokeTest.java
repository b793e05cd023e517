package io.fluxrig.rack.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/** The test framework itself: every bundle of the resolved rack started, none left behind. */
@ExtendWith(BundleContextExtension.class)
class FrameworkSmokeTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void everyBundleIsActive() {
        String notActive = Arrays.stream(context.getBundles())
                .filter(b -> b.getState() != Bundle.ACTIVE && b.getHeaders().get("Fragment-Host") == null)
                .map(b -> b.getSymbolicName() + " state " + b.getState())
                .collect(Collectors.joining(", "));
        assertEquals("", notActive, "bundles not active");
    }

    @Test
    void gearApiExportsItsVersionedPackages() {
        Bundle api = Arrays.stream(context.getBundles())
                .filter(b -> "io.fluxrig.gear.api".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        String exports = api.getHeaders().get("Export-Package");
        assertTrue(exports.contains("io.fluxrig.gear;version=\"1.3.0\""), exports);
        assertTrue(exports.contains("io.fluxrig.wire;version=\"1.1.1\""), exports);
    }
}
