package io.fluxrig.cli.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rig file format and the plan's difference, as pure logic: files read (bundle names from
 * manifests, digests), every refusal naming file, line and field, and the per-rack difference
 * against inventories given as records.
 */
class RigFileTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        jar("a-1.jar", "io.x.a", "1.0.0");
        jar("a-2.jar", "io.x.a", "2.0.0");
        jar("b-1.jar", "io.x.b;singleton:=true", "1.0.0");
        Files.writeString(dir.resolve("flow.yaml"), "gears: {}\n");
        Files.writeString(dir.resolve("notes.txt"), "not a jar");
    }

    private void jar(String name, String bsn, String version) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", version);
        try (OutputStream out = Files.newOutputStream(dir.resolve(name)); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("readme.txt"));
            j.write(name.getBytes());
            j.closeEntry();
        }
    }

    private RigFile rig(String yaml) throws Exception {
        return RigFile.read(Files.writeString(dir.resolve("rig.yaml"), yaml));
    }

    private String refused(String yaml) {
        return assertThrows(RigFile.RigException.class, () -> rig(yaml)).getMessage()
                .replace(dir.resolve("rig.yaml").toString(), "rig.yaml");
    }

    @Test
    void readsEntriesFilesAndRolloutOptions() throws Exception {
        RigFile r = rig("""
                rollout:
                  waves: [1, 50%, 100%]
                  soak: 2s
                  on-failure: pause
                  max-failures: 1
                racks:
                  - select: role=core
                    bundles: [a-1.jar, b-1.jar]
                    patch: flow.yaml
                  - select: edge-1
                    patch: flow.yaml
                """);
        assertEquals(new RigFile.Options(List.of("1", "50%", "100%"), 2000, 1, "pause", 600_000, false), r.rollout());
        assertEquals(2, r.racks().size());
        RigFile.Entry core = r.racks().get(0);
        assertEquals(7, core.line());
        assertEquals(List.of("io.x.a", "io.x.b"), core.bundles().stream().map(Artifact::name).toList());
        assertEquals("1.0.0", core.bundles().get(0).version());
        assertEquals(Artifact.sha256(dir.resolve("flow.yaml")), core.patch().digest());
        assertNull(core.patch().release(), "no flow.yaml.sig: unsigned");
        assertEquals("racks[1] (edge-1)", r.racks().get(1).label());
        assertEquals(RigFile.Options.defaults(), rig("racks:\n  - { select: all, patch: flow.yaml }\n").rollout());
        assertNull(RigFile.Options.defaults().maxErrorRate(), "no limit given: the Mixer's default");
        assertNull(RigFile.Options.defaults().maxP99Millis());
    }

    @Test
    void theRolloutBlockTakesTheHealthGatesLimitsAsRolloutCreateDoes() throws Exception {
        RigFile.Options o = rig("""
                rollout:
                  max-error-rate: 5%
                  max-p99: 250ms
                racks:
                  - { select: all, patch: flow.yaml }
                """).rollout();
        assertEquals(0.05, o.maxErrorRate(), 1e-12);
        assertEquals(250.0, o.maxP99Millis());
        assertEquals(new RigFile.Options(List.of("1", "100%"), 30_000, 0, "rollback", 600_000, false, o.maxErrorRate(), 250.0), o,
                "the other settings keep their defaults");
        RigFile.Options fraction = rig("rollout: { max-error-rate: 0.1, max-p99: 1s }\nracks:\n  - { select: all, patch: flow.yaml }\n")
                .rollout();
        assertEquals(0.1, fraction.maxErrorRate(), 1e-12);
        assertEquals(1000.0, fraction.maxP99Millis());
        assertNull(rig("rollout: { max-p99: 2m }\nracks:\n  - { select: all, patch: flow.yaml }\n").rollout().maxErrorRate(),
                "one limit given: the other is the Mixer's default");

        assertEquals("rig.yaml:2: rollout.max-error-rate: '120%' must be a share like 5% or 0.05 (0 to 100%)", refused("""
                rollout:
                  max-error-rate: 120%
                racks:
                  - { select: all, patch: flow.yaml }
                """));
        assertEquals("rig.yaml:4: rollout.max-error-rate: 'lots' must be a share like 5% or 0.05 (0 to 100%)", refused("""
                racks:
                  - { select: all, patch: flow.yaml }
                rollout:
                  max-error-rate: lots
                """));
        assertEquals("rig.yaml:3: rollout.max-p99: '0ms' must be more than 0", refused("""
                rollout:
                  soak: 1s
                  max-p99: 0ms
                racks:
                  - { select: all, patch: flow.yaml }
                """));
        assertEquals("rig.yaml:2: rollout.max-p99: '250' must look like 500ms, 30s, 10m or 1h", refused("""
                rollout:
                  max-p99: 250
                racks:
                  - { select: all, patch: flow.yaml }
                """));
        assertEquals("rig.yaml:2: rollout.max-p99ms: unknown field (known here: deadline, include-new, max-error-rate, max-failures, "
                + "max-p99, on-failure, soak, waves)", refused("""
                rollout:
                  max-p99ms: 250ms
                racks:
                  - { select: all, patch: flow.yaml }
                """));
    }

    @Test
    void everyRefusalNamesFileLineAndField() {
        assertEquals("rig.yaml:4: racks[0].bundles[1]: no such file gone.jar (relative to " + dir.toAbsolutePath() + ")", refused("""
                racks:
                  - select: role=core
                    bundles: [a-1.jar,
                      gone.jar]
                """));
        assertEquals("rig.yaml:3: racks[0].patchh: unknown field (known here: bundles, patch, select)", refused("""
                racks:
                  - select: role=core
                    patchh: flow.yaml
                """));
        assertEquals("rig.yaml:2: racks[0].select: 'core/a' is neither all, label=value, nor a rack name: ", refused("""
                racks:
                  - select: core/a
                    patch: flow.yaml
                """).replaceFirst("rack name: .*", "rack name: "));
        assertEquals("rig.yaml:4: racks[0].bundles[0]: notes.txt is not a jar: zip END header not found", refused("""
                racks:
                  - select: all
                    bundles:
                      - notes.txt
                """));
        assertEquals("rig.yaml:4: rollout.soak: 'soon' must look like 500ms, 30s, 10m or 1h", refused("""
                racks:
                  - { select: all, patch: flow.yaml }
                rollout:
                  soak: soon
                """));
        assertEquals("rig.yaml:2: rollout.waves[1]: '0' must be a count (1) or a share (10%)", refused("""
                rollout:
                  waves: 1,0
                racks:
                  - { select: all, patch: flow.yaml }
                """));
        assertEquals("rig.yaml:2: racks[0]: give bundles, a patch or both for the racks it selects", refused("""
                racks:
                  - select: all
                """));
        assertEquals("rig.yaml:3: racks[0].bundles[1]: bundle io.x.a is named twice (also racks[0].bundles[0])", refused("""
                racks:
                  - select: all
                    bundles: [a-1.jar, a-2.jar]
                """));
        assertEquals("rig.yaml:3: racks[0].select: given twice", refused("""
                racks:
                  - select: all
                    select: role=core
                """));
        assertEquals("rig.yaml:1: racks: required: a list of {select, bundles, patch}", refused("rollout: { soak: 1s }\n"));
        assertEquals("rig.yaml:3: not YAML: while parsing a block collection; in 'reader', line 2, column 3:; - select: all; ^; expected <block end>, but found '?'; in 'reader', line 3, column 3:; patch: [x; ^", refused("racks:\n  - select: all\n  patch: [x\n"));
    }

    @Test
    void thePlanIsThePerRackDifferenceAgainstEachInventory() throws Exception {
        RigFile r = rig("""
                racks:
                  - select: role=core
                    bundles: [a-2.jar, b-1.jar]
                    patch: flow.yaml
                """);
        String a1 = Artifact.sha256(dir.resolve("a-1.jar"));
        String a2 = Artifact.sha256(dir.resolve("a-2.jar"));
        String b1 = Artifact.sha256(dir.resolve("b-1.jar"));
        String flow = Artifact.sha256(dir.resolve("flow.yaml"));
        Plan.RackView inSync = new Plan.RackView("core-a", Map.of("role", "core"), "online",
                Map.of("io.x.a", "2.0.0", "io.x.b", "1.0.0"), Set.of(a2, b1), flow);
        Plan.RackView behind = new Plan.RackView("core-b", Map.of("role", "core"), "offline", Map.of("io.x.a", "1.0.0"), Set.of(a1),
                "sha256:" + "0".repeat(64));
        Plan.RackView other = new Plan.RackView("edge", Map.of("role", "edge"), "online", Map.of(), Set.of(), null);
        Plan p = Plan.of(r, List.of(other, behind, inSync));
        assertEquals(List.of("core-a", "core-b"), p.racks().stream().map(Plan.RackPlan::rack).toList());
        assertEquals(List.of("same", "same", "same"), p.racks().get(0).changes().stream().map(Plan.Change::action).toList());
        assertEquals(List.of("update", "install", "apply"), p.racks().get(1).changes().stream().map(Plan.Change::action).toList());
        assertEquals("1.0.0", p.racks().get(1).changes().get(0).now());
        assertEquals(3, p.changeCount());
        assertEquals(List.of("io.x.a", "io.x.b", "flow.yaml"), p.toRollOut(r.racks().get(0)).stream().map(Artifact::name).toList());

        Plan none = Plan.of(r, List.of(inSync));
        assertEquals(0, none.changeCount());
        assertEquals(List.of(), none.toRollOut(r.racks().get(0)), "nothing to roll out: apply does nothing");

        RigFile.RigException nobody = assertThrows(RigFile.RigException.class, () -> Plan.of(r, List.of(other)));
        assertEquals(r.file() + ":2: racks[0].select: 'role=core' matches no registered rack", nobody.getMessage());
        RigFile twice = rig("""
                racks:
                  - { select: role=core, patch: flow.yaml }
                  - { select: core-b, patch: flow.yaml }
                """);
        assertEquals(twice.file() + ":3: racks[1].select: rack core-b is selected by racks[0] (line 2) too; a rack runs one entry",
                assertThrows(RigFile.RigException.class, () -> Plan.of(twice, List.of(behind))).getMessage());
    }
}
