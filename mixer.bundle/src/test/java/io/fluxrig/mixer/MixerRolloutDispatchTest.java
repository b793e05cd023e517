package io.fluxrig.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.mixer.command.CommandHook;
import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.mixer.command.Commands;
import io.fluxrig.mixer.rollout.Rollouts;
import io.fluxrig.mixer.store.MixerStore;
import io.fluxrig.nats.trust.Role;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several Mixers driving one rollout: the fixture's Mixer (its own driver) and two more rollout
 * drivers, each on its own NATS connection to the same KV, tick the same rollout at the same
 * moments (a barrier releases them together, round after round), while the racks' results are
 * written between rounds. Each rack must get each step exactly once.
 */
class MixerRolloutDispatchTest {
    @Test
    void racingMixersSendEachStepOnce(@TempDir Path tmp) throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            List<String> racks = List.of("race-a", "race-b", "race-c");
            for (String r : racks) {
                f.enrol(r); // registered, never started: the commands stay queued until answered below
            }
            String digest = f.read(f.upload("gear bytes".getBytes(StandardCharsets.UTF_8), f.operatorToken, true).body())
                    .get("digest").asText();
            ObjectMapper json = SnakeCodec.newMapper();
            Path creds = f.nats.creds(Role.MIXER);
            Artifacts artifacts = new Artifacts(tmp.resolve("mixer/artifacts"));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try (MixerStore s1 = MixerStore.connect(f.nats.url(), creds, f.nats.caFile(), 1, json);
                    MixerStore s2 = MixerStore.connect(f.nats.url(), creds, f.nats.caFile(), 1, json);
                    Commands c1 = new Commands(s1.commandBucket(), s1.racks(), json, new SecureRandom(), Clock.systemUTC());
                    Commands c2 = new Commands(s2.commandBucket(), s2.racks(), json, new SecureRandom(), Clock.systemUTC());
                    Rollouts m1 = new Rollouts(s1.bucket(Rollouts.BUCKET), s1.racks(), c1, artifacts, json, new SecureRandom(),
                            Clock.systemUTC(), 0);
                    Rollouts m2 = new Rollouts(s2.bucket(Rollouts.BUCKET), s2.racks(), c2, artifacts, json, new SecureRandom(),
                            Clock.systemUTC(), 0)) {
                List<RolloutStep> steps = List.of(new RolloutStep("preflight-bundle", digest, "gear.x.jar", null),
                        new RolloutStep("install-bundle", digest, "gear.x.jar", null));
                Rollout r = m1.create(new RolloutRequest("all", List.of("100%"), steps, List.of(),
                        3_600_000, 3, "pause", 3_600_000, false));
                CyclicBarrier together = new CyclicBarrier(2);
                for (int round = 0; round < 200 && !allSent(m1, r.id(), racks); round++) {
                    Future<?> a = pool.submit(() -> tickAfter(together, m1));
                    Future<?> b = pool.submit(() -> tickAfter(together, m2));
                    a.get();
                    b.get();
                    for (String rack : racks) {
                        for (CommandRecord c : c1.list(rack)) {
                            if (!c.finished()) {
                                c1.complete(rack, c.id(), "done", c.type() + " done");
                            }
                        }
                    }
                }
                assertTrue(allSent(m1, r.id(), racks), m1.get(r.id()).orElseThrow().toString());
                for (String rack : racks) {
                    List<String> sent = new ArrayList<>();
                    c1.list(rack).forEach(c -> sent.add(c.type()));
                    assertEquals(List.of("preflight-bundle", "install-bundle"), sent, rack + " got each step exactly once");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * A step whose queueing fails after the tick wrote the rollout record holding its id (here the
     * credential hook cannot store its state, as when NATS is lost at that moment) is queued on a
     * later tick, under the id the record holds, once.
     */
    @Test
    void aStepWhoseQueueingFailedAfterTheWriteIsQueuedOnTheNextTick(@TempDir Path tmp) throws Exception {
        try (MixerFixture f = new MixerFixture(tmp)) {
            f.enrol("retry-a"); // registered, never started: its command stays queued
            String digest = f.read(f.upload("retried bytes".getBytes(StandardCharsets.UTF_8), f.operatorToken, true).body())
                    .get("digest").asText();
            ObjectMapper json = SnakeCodec.newMapper();
            AtomicInteger failuresLeft = new AtomicInteger(1);
            CommandHook failingOnce = new CommandHook() {
                @Override
                public boolean queuing(String rack, String type, Map<String, String> args) throws IOException {
                    if (failuresLeft.getAndDecrement() > 0) {
                        throw new IOException("injected: the hook's state could not be stored");
                    }
                    return false;
                }

                @Override
                public boolean finished(CommandRecord command, List<CommandRecord> pending) {
                    return false;
                }
            };
            try (MixerStore s = MixerStore.connect(f.nats.url(), f.nats.creds(Role.MIXER), f.nats.caFile(), 1, json);
                    Commands commands = new Commands(s.commandBucket(), s.racks(), json, new SecureRandom(), Clock.systemUTC(),
                            failingOnce);
                    // A bucket of its own: the fixture's Mixer (which ticks its own rollouts) never sees this rollout.
                    Rollouts mixer = new Rollouts(s.bucket(Rollouts.BUCKET + "_retry"), s.racks(), commands,
                            new Artifacts(tmp.resolve("mixer/artifacts")), json, new SecureRandom(), Clock.systemUTC(), 0)) {
                Rollout r = mixer.create(new RolloutRequest("retry-a", List.of("100%"),
                        List.of(new RolloutStep("install-bundle", digest, "gear.retry.jar", null)), List.of(), 3_600_000, 0, "pause",
                        3_600_000, false));
                mixer.tick();
                Rollout.RackProgress sent = mixer.get(r.id()).orElseThrow().racks().get("retry-a");
                assertEquals(Rollout.RackProgress.DEPLOYING, sent.state(), sent.toString());
                String id = sent.command();
                assertNotNull(id, "the record holds the step's command id");
                assertEquals(0, failuresLeft.get(), "the queueing was tried and failed");
                assertTrue(commands.status(id).isEmpty(), "the failed queueing stored nothing");

                mixer.tick();
                CommandRecord queued = commands.status(id).orElseThrow(() -> new AssertionError("not queued again on the next tick"));
                assertEquals(CommandRecord.PENDING, queued.state());
                assertEquals("install-bundle", queued.type());
                assertEquals(digest, queued.args().get("digest"));
                assertEquals(r.id(), queued.args().get("rollout"), "the command names its rollout: the rack's spans carry it");
                assertEquals(id, mixer.get(r.id()).orElseThrow().racks().get("retry-a").command(), "under the id the record holds");

                mixer.tick();
                assertEquals(List.of(id), commands.list("retry-a").stream().map(CommandRecord::id).toList(), "queued once");
            }
        }
    }

    private static Object tickAfter(CyclicBarrier together, Rollouts mixer) throws Exception {
        together.await();
        mixer.tick();
        return null;
    }

    private static boolean allSent(Rollouts m, String id, List<String> racks) throws Exception {
        Rollout r = m.get(id).orElseThrow();
        // soaking, or failed its soak because these racks are offline: either way past its last step
        return racks.stream().map(x -> r.racks().get(x).state()).allMatch(st -> Rollout.RackProgress.SOAKING.equals(st)
                || Rollout.RackProgress.FAILED.equals(st));
    }
}
