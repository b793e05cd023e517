package io.fluxrig.rack.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.rack.runtime.apply.PatchDigest;
import io.fluxrig.rack.runtime.apply.PatchStatus;
import io.fluxrig.rack.runtime.catalog.GearTypeInfo;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.rack.runtime.patch.PatchValidator;
import io.fluxrig.rack.runtime.patch.Validation;
import io.fluxrig.rack.spi.DeployException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply-patch decisions against a stand-in patch loop that validates with the real
 * PatchValidator and a hand-built catalog, and applies on wake (the real loop is exercised in
 * rack.itest's DeployerTest).
 */
class PatchApplierTest {
    private static final String LABEL = "p.yaml sha256:0123456789ab..";
    private static final String VALID = """
            gears:
              tick: { type: timer }
              out: log
            links:
              - tick.out -> out.in
            """;

    @TempDir
    Path dir;

    private final Map<String, GearTypeInfo> types = new ConcurrentSkipListMap<>(Map.of(
            "timer", new GearTypeInfo("timer", List.of(), List.of("out"), "b 1", "", null),
            "log", new GearTypeInfo("log", List.of("in"), List.of(), "b 1", "", null)));

    /** Validates like the loop; on wake reads the file and applies or refuses it (or refuses everything). */
    private final class Loop implements PatchTarget {
        final boolean refuseAll;
        volatile PatchStatus status = new PatchStatus("p", Patch.EMPTY, null, List.of(), null, false, null, null);
        int wakes;

        Loop(boolean refuseAll) {
            this.refuseAll = refuseAll;
        }

        @Override
        public Path patchFile() {
            return dir.resolve("patch.yaml");
        }

        @Override
        public Validation validate(String text) {
            return PatchValidator.validate(text, Map.copyOf(types));
        }

        @Override
        public PatchStatus status() {
            return status;
        }

        @Override
        public void wake() {
            wakes++;
            try {
                String text = Files.exists(patchFile()) ? Files.readString(patchFile()) : "";
                Validation v = validate(text);
                if (v.ok() && !refuseAll) {
                    status = new PatchStatus("p", v.patch(), Instant.now(), List.of(), null, false, PatchDigest.of(text), null);
                } else {
                    status = new PatchStatus("p", status.applied(), status.appliedAt(),
                            refuseAll ? List.of("gear 'out': unknown gear type 'log' (known: timer)") : v.problems(),
                            Instant.now(), false, status.appliedDigest(), PatchDigest.of(text));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Path artifact(String text) throws IOException {
        return Files.writeString(dir.resolve("artifact-" + PatchDigest.of(text).substring(7, 15)), text);
    }

    @Test
    void aValidPatchIsWrittenAppliedAndAgainIsANoOp() throws Exception {
        Loop loop = new Loop(false);
        PatchApplier applier = new PatchApplier(loop, 1_000, 2_000);
        String done = applier.apply(artifact(VALID), LABEL);
        assertEquals("applied: 2 gears, 1 links (gears +2 -0 ~0, links +1 -0) from " + LABEL + " to " + loop.patchFile(), done);
        assertEquals(VALID, Files.readString(loop.patchFile()));
        assertEquals(1, loop.wakes);

        assertEquals("already applied: 2 gears, 1 links from " + LABEL + " (" + loop.patchFile() + ")",
                applier.apply(artifact(VALID), LABEL));
        assertEquals(1, loop.wakes, "nothing written, the loop not woken");
    }

    @Test
    void anInvalidPatchIsRefusedWithEveryProblemAndNotWritten() throws Exception {
        Loop loop = new Loop(false);
        Files.writeString(loop.patchFile(), "gears: {}\n");
        String bad = """
                gears:
                  tick: { type: timer, config: { nope: 1 } }
                  out: log
                links:
                  - tick.nothing -> out.in
                """;
        DeployException e = assertThrows(DeployException.class, () -> new PatchApplier(loop, 5_000, 2_000).apply(artifact(bad), LABEL));
        assertTrue(e.refused());
        String[] lines = e.getMessage().split("\n");
        assertEquals(LABEL + " is not a valid patch for this rack (1 problem(s)); the patch file is unchanged:", lines[0]);
        assertTrue(lines[1].contains("has no output port 'nothing'"), e.getMessage());
        assertEquals("gears: {}\n", Files.readString(loop.patchFile()));
        assertEquals(0, loop.wakes);
    }

    @Test
    void unknownTypesAreCheckedAgainUntilTheyAppear() throws Exception {
        Loop loop = new Loop(false);
        String withJson = VALID + "  - tick.out -> conv.in\n" + "";
        String text = withJson.replace("  out: log\n", "  out: log\n  conv: { type: json-encode }\n");
        assertTrue(loop.validate(text).onlyUnknownTypes(), loop.validate(text).problems().toString());
        CompletableFuture.runAsync(() -> {
            sleep(700);
            types.put("json-encode", new GearTypeInfo("json-encode", List.of("in"), List.of("out"), "b 1", "", null));
        });
        String done = new PatchApplier(loop, 10_000, 2_000).apply(artifact(text), LABEL);
        assertTrue(done.startsWith("applied: 3 gears, 2 links"), done);
    }

    @Test
    void unknownTypesThatNeverAppearAreRefusedAfterTheWait() throws Exception {
        Loop loop = new Loop(false);
        String text = VALID.replace("type: timer", "type: ticker");
        long start = System.nanoTime();
        DeployException e = assertThrows(DeployException.class, () -> new PatchApplier(loop, 600, 2_000).apply(artifact(text), LABEL));
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 600, "checked again for the whole wait");
        assertTrue(e.refused());
        assertTrue(e.getMessage().contains("; the patch file is unchanged:\ngear 'tick': unknown gear type 'ticker' (known: "), e.getMessage());
        assertFalse(Files.exists(loop.patchFile()));
    }

    @Test
    void aPatchTheLoopRefusesFailsAndThePreviousFileIsBack() throws Exception {
        Loop loop = new Loop(true);
        byte[] before = "gears: {}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(loop.patchFile(), before);
        DeployException e = assertThrows(DeployException.class, () -> new PatchApplier(loop, 1_000, 2_000).apply(artifact(VALID), LABEL));
        assertFalse(e.refused());
        assertEquals(LABEL + " was refused by the rack (1 problem(s)); the patch file " + loop.patchFile()
                + " is restored to its previous content:\ngear 'out': unknown gear type 'log' (known: timer)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(loop.patchFile()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void eachApplicationIsANumberedSnapshotAndRestoreGoesBackToThePatchItReplaced() throws Exception {
        Loop loop = new Loop(false);
        PatchSnapshots kept = new PatchSnapshots(dir.resolve("snapshots"), 3);
        PatchApplier applier = new PatchApplier(loop, 1_000, 2_000, kept);
        String byHand = VALID.replace("out: log", "out: { type: log }");
        Files.writeString(loop.patchFile(), byHand);
        loop.wake();
        String v2 = VALID.replace("tick:", "tock:").replace("tick.out", "tock.out");

        String first = applier.apply(artifact(VALID), "v1.yaml", "key ed25519:1, sequence 1");
        assertTrue(first.endsWith("(patch snapshot 2)"), first);
        assertEquals(List.of(1, 2), kept.all().stream().map(PatchSnapshots.Snapshot::number).toList(),
                "the patch found in place is snapshot 1, the applied one snapshot 2");
        assertEquals("not recorded (in place before it was replaced)", kept.get(1).orElseThrow().signedBy());
        assertEquals("key ed25519:1, sequence 1", kept.get(2).orElseThrow().signedBy());
        String second = applier.apply(artifact(v2), "v2.yaml", "unsigned (development mode)");
        assertTrue(second.endsWith("(patch snapshot 3)"), second);

        // Undoing v2 applies v1 again, from its snapshot; twice finds it undone.
        String back = applier.restore(PatchDigest.of(v2), "v2.yaml");
        assertTrue(back.startsWith("restored patch snapshot 2 (v1.yaml, sha256:"), back);
        assertEquals(VALID, Files.readString(loop.patchFile()));
        assertEquals(PatchDigest.of(VALID), loop.status().appliedDigest());
        assertTrue(applier.restore(PatchDigest.of(v2), "v2.yaml").startsWith("nothing to restore: the application of v2.yaml"));

        // An application that found its patch in place changed nothing: undoing it neither.
        assertTrue(applier.apply(artifact(VALID), "v1.yaml", null).startsWith("already applied: "));
        String none = applier.restore(PatchDigest.of(VALID), "v1.yaml");
        assertTrue(none.startsWith("nothing to restore: applying v1.yaml found it in place already"), none);
        assertEquals(VALID, Files.readString(loop.patchFile()));

        // A patch changed since is not restored over; an unknown one has nothing to restore.
        applier.apply(artifact(v2), "v2.yaml", null);
        applier.apply(artifact(byHand), "v3.yaml", null);
        DeployException stale = assertThrows(DeployException.class, () -> applier.restore(PatchDigest.of(v2), "v2.yaml"));
        assertTrue(stale.refused() && stale.getMessage().contains("it changed again since"), stale.getMessage());
        assertTrue(applier.restore(PatchDigest.of("gears: {}\n"), "x.yaml").startsWith("nothing to restore: this rack kept no snapshot"));

        // Bounded: only the newest 3 are kept, and the last application can still be undone.
        assertEquals(List.of(3, 4, 5), kept.all().stream().map(PatchSnapshots.Snapshot::number).toList());
        applier.apply(artifact(VALID), "v1-again.yaml", null);
        applier.apply(artifact(v2), "v2-again.yaml", null);
        assertEquals(List.of(5, 6, 7), kept.all().stream().map(PatchSnapshots.Snapshot::number).toList());
        assertTrue(applier.restore(PatchDigest.of(v2), "v2-again.yaml").startsWith("restored patch snapshot 6 (v1-again.yaml"));
    }
}
