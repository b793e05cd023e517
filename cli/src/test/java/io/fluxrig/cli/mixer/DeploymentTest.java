package io.fluxrig.cli.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step, wait and print logic of {@code fluxrig deploy} ({@link Deployment}) driven by a
 * scripted fake of the three API calls: pure logic, the HTTP side is in {@link DeployCommandTest}.
 */
class DeploymentTest {
    @TempDir
    Path tmp;

    /** Scripted API: per file name, what the upload and the command do; records every call. */
    private static final class FakeApi implements DeployApi {
        final List<String> calls = new ArrayList<>();
        final Map<String, String> uploadRefusals = new HashMap<>();
        final Map<String, String> wrongDigests = new HashMap<>();
        final Map<String, String> enqueueRefusals = new HashMap<>();
        /** Per file name: the states returned by successive polls; the last one repeats. */
        final Map<String, Deque<Object>> polls = new HashMap<>();
        private final Map<String, String> idToName = new HashMap<>();

        @Override
        public String upload(Path file) throws Refusal, IOException {
            String name = file.getFileName().toString();
            calls.add("upload " + name);
            if (uploadRefusals.containsKey(name)) {
                throw new Refusal(413, uploadRefusals.get(name));
            }
            return wrongDigests.getOrDefault(name, DeployCommand.sha256(file));
        }

        @Override
        public String enqueue(String rack, String type, Map<String, String> args) throws Refusal {
            calls.add("enqueue " + rack + " " + type + " " + args);
            if (enqueueRefusals.containsKey(args.get("name"))) {
                throw new Refusal(400, enqueueRefusals.get(args.get("name")));
            }
            String id = "id-" + args.get("name");
            idToName.put(id, args.get("name"));
            return id;
        }

        @Override
        public CommandState status(String rack, String id) throws Refusal, IOException {
            Deque<Object> q = polls.get(idToName.get(id));
            Object next = q.size() > 1 ? q.poll() : q.peek();
            if (next instanceof IOException e) {
                throw e;
            }
            if (next instanceof Refusal r) {
                throw r;
            }
            return (CommandState) next;
        }

        void script(String name, Object... states) {
            polls.put(name, new ArrayDeque<>(List.of(states)));
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private boolean run(FakeApi api, Duration timeout, List<Deployment.Step> steps) throws Exception {
        return new Deployment(api, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                timeout, Duration.ofMillis(5)).run("edge", steps);
    }

    private Deployment.Step step(String type, String name, String content) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        return new Deployment.Step(type, f, DeployCommand.sha256(f));
    }

    private static String short12(Deployment.Step s) {
        return s.digest().substring(0, 19);
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static final DeployApi.CommandState PENDING = new DeployApi.CommandState("pending", null);

    @Test
    void everyStepRunsInOrderAndWaitsForItsResult() throws Exception {
        Deployment.Step a = step("install-bundle", "gear.json-1.0.0.jar", "a");
        Deployment.Step b = step("install-bundle", "gear.basic-1.0.0.jar", "b");
        Deployment.Step p = step("apply-patch", "patch.yaml", "p");
        FakeApi api = new FakeApi();
        api.script("gear.json-1.0.0.jar", PENDING, PENDING, new DeployApi.CommandState("done", "installed gear.json 1.0.0\n(active)"));
        api.script("gear.basic-1.0.0.jar", new DeployApi.CommandState("done", "installed gear.basic 1.0.0"));
        api.script("patch.yaml", PENDING, new DeployApi.CommandState("done", null));
        assertTrue(run(api, Duration.ofSeconds(5), List.of(a, b, p)));
        assertEquals(List.of(
                "upload gear.json-1.0.0.jar",
                "enqueue edge install-bundle {digest=" + a.digest() + ", name=gear.json-1.0.0.jar}",
                "upload gear.basic-1.0.0.jar",
                "enqueue edge install-bundle {digest=" + b.digest() + ", name=gear.basic-1.0.0.jar}",
                "upload patch.yaml",
                "enqueue edge apply-patch {digest=" + p.digest() + ", name=patch.yaml}"), api.calls);
        assertEquals(List.of(
                "edge: install-bundle gear.json-1.0.0.jar (" + short12(a) + "): done: installed gear.json 1.0.0 (active)",
                "edge: install-bundle gear.basic-1.0.0.jar (" + short12(b) + "): done: installed gear.basic 1.0.0",
                "edge: apply-patch patch.yaml (" + short12(p) + "): done"), lines());
        assertTrue(short12(a).matches("sha256:[0-9a-f]{12}"), short12(a));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMixerWhoseStoreDoesNotAnswerForNowIsAskedAgainAndAnotherRefusalEndsTheStep() throws Exception {
        Deployment.Step a = step("install-bundle", "a.jar", "a");
        Deployment.Step b = step("install-bundle", "b.jar", "b");
        FakeApi api = new FakeApi();
        api.script("a.jar", PENDING, new DeployApi.Refusal(503, "the Mixer could not complete the request: Timeout or no response"
                + " waiting for NATS JetStream server"), new DeployApi.CommandState("done", "ok"));
        api.script("b.jar", new DeployApi.Refusal(404, "no command id-b.jar for rack edge"));
        assertFalse(run(api, Duration.ofSeconds(5), List.of(a, b)));
        assertEquals(List.of("edge: install-bundle a.jar (" + short12(a) + "): done: ok",
                "edge: install-bundle b.jar (" + short12(b) + "): error: reading command id-b.jar failed: no command id-b.jar for rack edge"),
                lines());
    }

    @Test
    void aFailedStepStopsTheRunAndNamesTheStepsNotSent() throws Exception {
        Deployment.Step a = step("install-bundle", "a.jar", "a");
        Deployment.Step b = step("install-bundle", "b.jar", "b");
        Deployment.Step p = step("apply-patch", "p.yaml", "p");
        FakeApi api = new FakeApi();
        api.script("a.jar", new DeployApi.CommandState("done", "ok"));
        api.script("b.jar", PENDING, new DeployApi.CommandState("failed", "bundle b did not start: missing import x; rolled back"));
        assertFalse(run(api, Duration.ofSeconds(5), List.of(a, b, p)));
        assertEquals(List.of("edge: install-bundle a.jar (" + short12(a) + "): done: ok",
                "edge: install-bundle b.jar (" + short12(b) + "): failed: bundle b did not start: missing import x; rolled back"), lines());
        assertEquals("fluxrig deploy: stopped at step 2 of 3 (install-bundle b.jar); not sent: apply-patch p.yaml\n",
                err.toString(StandardCharsets.UTF_8));
        assertFalse(api.calls.contains("upload p.yaml"), api.calls.toString());
    }

    @Test
    void aRefusedPatchListsOneProblemPerLine() throws Exception {
        Deployment.Step p = step("apply-patch", "p.yaml", "p");
        FakeApi api = new FakeApi();
        api.script("p.yaml", new DeployApi.CommandState("refused", "p.yaml is not a valid patch for this rack (2 problem(s)); "
                + "the patch file is unchanged:\nlinks[1]: unknown gear 'nowhere'\ngears.tick.type: unknown gear type 'clock'\n"));
        assertFalse(run(api, Duration.ofSeconds(5), List.of(p)));
        assertEquals(List.of("edge: apply-patch p.yaml (" + short12(p) + "): refused: p.yaml is not a valid patch for this rack "
                + "(2 problem(s)); the patch file is unchanged:", "  - links[1]: unknown gear 'nowhere'",
                "  - gears.tick.type: unknown gear type 'clock'"), lines());
    }

    @Test
    void aRefusedCommandIsNotDone() throws Exception {
        Deployment.Step p = step("apply-patch", "p.yaml", "p");
        FakeApi api = new FakeApi();
        api.script("p.yaml", new DeployApi.CommandState("refused", "unknown command type 'apply-patch'"));
        assertFalse(run(api, Duration.ofSeconds(5), List.of(p)));
        assertEquals(List.of("edge: apply-patch p.yaml (" + short12(p) + "): refused: unknown command type 'apply-patch'"), lines());
        assertEquals("fluxrig deploy: stopped at step 1 of 1 (apply-patch p.yaml); no steps left unsent\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTimeoutSaysTheCommandStaysQueuedWithItsId() throws Exception {
        Deployment.Step a = step("install-bundle", "a.jar", "a");
        Deployment.Step b = step("install-bundle", "b.jar", "b");
        FakeApi api = new FakeApi();
        api.script("a.jar", PENDING);
        long start = System.nanoTime();
        assertFalse(run(api, Duration.ofMillis(300), List.of(a, b)));
        assertTrue(System.nanoTime() - start >= 300_000_000L, "waited the whole timeout");
        assertEquals(List.of("edge: install-bundle a.jar (" + short12(a)
                + "): timed out after 300 ms: still pending; the command stays queued (id id-a.jar)"), lines());
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("not sent: install-bundle b.jar\n"), err.toString());
    }

    @Test
    void anUnreachableMixerWhileWaitingIsAskedAgainUntilTheDeadline() throws Exception {
        Deployment.Step a = step("install-bundle", "a.jar", "a");
        FakeApi api = new FakeApi();
        api.script("a.jar", new IOException("connection refused"), PENDING, new IOException("connection refused"),
                new DeployApi.CommandState("done", "ok"));
        assertTrue(run(api, Duration.ofSeconds(5), List.of(a)));
        assertEquals(List.of("edge: install-bundle a.jar (" + short12(a) + "): done: ok"), lines());

        out.reset();
        api.script("a.jar", new IOException("connection refused"));
        assertFalse(run(api, Duration.ofMillis(100), List.of(a)));
        assertEquals(List.of("edge: install-bundle a.jar (" + short12(a)
                + "): timed out after 100 ms: no answer (connection refused); the command stays queued (id id-a.jar)"), lines());
    }

    @Test
    void refusalsBeforeTheCommandRunsStopWithTheMixersReason() throws Exception {
        Deployment.Step big = step("install-bundle", "big.jar", "big");
        Deployment.Step bad = step("install-bundle", ".bad.jar", "bad");
        Deployment.Step changed = step("install-bundle", "changed.jar", "c");
        FakeApi api = new FakeApi();
        api.uploadRefusals.put("big.jar", "artifact too large (...): the limit is 1048576 bytes");
        api.enqueueRefusals.put(".bad.jar", "args.name: '.bad.jar' must be a plain file name, not starting with '.'");
        api.wrongDigests.put("changed.jar", "sha256:" + "0".repeat(64));

        assertFalse(run(api, Duration.ofSeconds(5), List.of(big)));
        assertFalse(run(api, Duration.ofSeconds(5), List.of(bad)));
        assertFalse(run(api, Duration.ofSeconds(5), List.of(changed)));
        assertEquals(List.of(
                "edge: install-bundle big.jar (" + short12(big) + "): upload refused: artifact too large (...): the limit is 1048576 bytes",
                "edge: install-bundle .bad.jar (" + short12(bad) + "): not queued: args.name: '.bad.jar' must be a plain file name, "
                        + "not starting with '.'",
                "edge: install-bundle changed.jar (" + short12(changed) + "): error: the Mixer stored the upload as sha256:"
                        + "0".repeat(64) + " but the file's digest is " + changed.digest()
                        + " (did the file change meanwhile?); the command was not queued"), lines());
        assertEquals(List.of("upload big.jar", "upload .bad.jar",
                "enqueue edge install-bundle {digest=" + bad.digest() + ", name=.bad.jar}", "upload changed.jar"), api.calls);
    }
}
