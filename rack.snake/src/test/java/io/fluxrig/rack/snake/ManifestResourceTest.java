package io.fluxrig.rack.snake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;

/** The candidate bundle as the resolver sees it, from manifest headers alone (pure logic). */
class ManifestResourceTest {
    @Test
    void importsRequireBundleAndRequireCapabilityBecomeFilteredRequirements() throws Exception {
        ManifestResource r = new ManifestResource(manifest(Map.of(
                "Bundle-SymbolicName", "io.acme.gear;singleton:=true",
                "Bundle-Version", "1.2",
                "Import-Package", "io.acme.api;version=\"[1.0,2)\",org.slf4j;resolution:=optional, javax.net.ssl",
                "Require-Bundle", "io.acme.base;bundle-version=\"[2,3)\"",
                "Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=17))\"",
                "Export-Package", "io.acme.gear.spi;version=1.1.0;uses:=\"io.acme.api\",io.acme.gear.x",
                "Provide-Capability", "fluxrig.gear.type;fluxrig.gear.type=acme;version:Version=\"1.0\"")));
        assertEquals("io.acme.gear", r.symbolicName());
        assertEquals(new Version(1, 2, 0), r.version());
        assertEquals(List.of(
                "osgi.wiring.package; (&(osgi.wiring.package=io.acme.api)(&(version>=1.0.0)(!(version>=2.0.0))))",
                "osgi.wiring.package; (osgi.wiring.package=org.slf4j)",
                "osgi.wiring.package; (osgi.wiring.package=javax.net.ssl)",
                "osgi.wiring.bundle; (&(osgi.wiring.bundle=io.acme.base)(&(bundle-version>=2.0.0)(!(bundle-version>=3.0.0))))",
                "osgi.ee; (&(osgi.ee=JavaSE)(version=17))"), r.getRequirements(null).stream().map(Object::toString).toList());
        assertEquals("optional", r.getRequirements("osgi.wiring.package").get(1).getDirectives().get("resolution"));

        var exports = r.getCapabilities("osgi.wiring.package");
        assertEquals(2, exports.size());
        assertEquals(new Version(1, 1, 0), exports.get(0).getAttributes().get("version"));
        assertEquals("io.acme.api", exports.get(0).getDirectives().get("uses"));
        // The candidate's own export satisfies a filter on it (bnd bundles import what they export).
        assertEquals(true, FrameworkUtil.createFilter("(&(osgi.wiring.package=io.acme.gear.spi)(version>=1.0.0))")
                .matches(exports.get(0).getAttributes()));
        assertEquals(new Version(1, 0, 0), r.getCapabilities("fluxrig.gear.type").get(0).getAttributes().get("version"));
    }

    @Test
    void aManifestWithoutASymbolicNameOrWithAnEmptyClauseIsRefusedNamingTheHeader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ManifestResource(manifest(Map.of("Bundle-Version", "1"))));
        assertEquals("Bundle-SymbolicName: missing (not an OSGi bundle)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ManifestResource(manifest(Map.of("Bundle-SymbolicName", "a", "Import-Package", "version=1"))));
        assertEquals("Import-Package: clause 'version=1' names nothing", e.getMessage());
    }

    private static Manifest manifest(Map<String, String> headers) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach(a::putValue);
        return m;
    }
}
