package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.rig.Artifact;
import io.fluxrig.cli.rig.Plan;
import io.fluxrig.cli.rig.RigFile;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.rollout.RolloutPaths;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code apply RIG.yaml}: makes the racks run what a rig file names. The difference is
 * {@code plan}'s; each rig entry with a difference becomes one rollout (the operator API's
 * {@code POST /api/rollouts}, as {@code rollout create}) to the entry's selector, with the files
 * that differ on at least one of its racks (each bundle pre-flighted on each rack first) and the
 * rig's rollout options. No difference: nothing is sent, and it says so.
 */
@Command(name = "apply", description = {"make the racks run what a rig file names, through rollouts",
        "Plans like 'plan' (without its separate pre-flight), prints the plan, and starts one rollout per rig entry that "
                + "has a difference: to the entry's select, with the bundles and the patch that differ on at least one of its "
                + "racks (a rack that has one already answers that it is in place), each bundle pre-flighted on each rack "
                + "first, in the waves, soak, failure and deadline settings of the rig's 'rollout' (default: waves 1,100%%, "
                + "soak 30s, on failure roll back). When every rack runs what the rig names, nothing is sent: 'nothing to do'. "
                + "--wait follows the rollouts until they end.",
        "Exit codes: 0 nothing to do, the rollouts started, or (--wait) every rollout done; 1 the rig file refused "
                + "(file:line: field: reason), the Mixer refused, or (--wait) a rollout did not end done; 2 usage.",
        MixerApiOptions.ENVIRONMENT})
public final class ApplyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RIG.yaml", description = "the rig file")
    Path rig;
    @Option(names = "--wait", description = "follow the rollouts until they end")
    boolean await;
    @Option(names = "--json", description = "print the plan and the rollouts as one line of JSON")
    boolean json;
    @Mixin
    MixerCall mixer;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Plan plan = PlanCommand.plan(mixer, "apply", rig);
        if (plan == null) {
            return Exit.FAILED;
        }
        Console console = mixer.console();
        MixerApiClient client = mixer.client();
        if (!json) {
            RigReport.human(console.out(), "apply", plan, List.of());
        }
        List<Map<String, Object>> rollouts = new ArrayList<>();
        boolean ok = true;
        MixerDeployApi api = new MixerDeployApi(client);
        RigFile.Options o = plan.rig().rollout();
        for (RigFile.Entry e : plan.rig().racks()) {
            List<Artifact> changed = plan.toRollOut(e);
            if (changed.isEmpty()) {
                continue;
            }
            List<RolloutStep> preflights = new ArrayList<>();
            List<RolloutStep> changes = new ArrayList<>();
            try {
                for (Artifact a : changed) {
                    boolean bundle = Artifact.BUNDLE.equals(a.kind());
                    RolloutStep s = RolloutCommand.Create.upload(api, a.file(),
                            bundle ? CommandType.INSTALL_BUNDLE.wire() : CommandType.APPLY_PATCH.wire());
                    if (bundle) {
                        preflights.add(new RolloutStep(CommandType.PREFLIGHT_BUNDLE.wire(), s.digest(), s.name(), s.release()));
                    }
                    changes.add(s);
                }
            } catch (DeployApi.Refusal r) {
                console.err().println("fluxrig apply: " + e.label() + ": upload refused: " + r.getMessage());
                return Exit.FAILED;
            }
            List<RolloutStep> steps = new ArrayList<>(preflights);
            steps.addAll(changes);
            RolloutRequest q = new RolloutRequest(e.select(), o.waves(), steps, List.of(), o.soakMillis(), o.maxFailures(),
                    o.onFailure(), o.deadlineMillis(), o.includeNew(), o.maxErrorRate(), o.maxP99Millis());
            Map<?, ?> m = mixer.object("POST", RolloutPaths.ROLLOUTS, new String(SnakeCodec.json().write(q), StandardCharsets.UTF_8),
                    201, "fluxrig apply: " + e.label() + ": the Mixer refused the rollout: ");
            if (m == null) {
                return Exit.FAILED;
            }
            Map<String, Object> started = new LinkedHashMap<>();
            started.put("entry", e.index());
            started.put("select", e.select());
            started.put("id", m.get("id"));
            started.put("state", m.get("state"));
            started.put("reason", m.get("reason"));
            rollouts.add(started);
            if (!json) {
                console.out().println(e.label() + ": rollout " + m.get("id") + " started: " + m.get("reason") + " ("
                        + String.join(", ", changes.stream().map(s -> s.type() + " " + s.name()).toList()) + ")");
            }
        }
        if (rollouts.isEmpty() && !json) {
            console.out().println("apply: nothing to do: the " + plan.racks().size() + " rack(s) " + plan.rig().file()
                    + " selects run what it names");
        }
        if (await) {
            for (Map<String, Object> started : rollouts) {
                Map<?, ?> end = follow(client, String.valueOf(started.get("id")));
                started.put("state", end.get("state"));
                started.put("reason", end.get("reason"));
                ok &= "done".equals(end.get("state"));
                if (!json) {
                    console.out().println("rollout " + started.get("id") + " " + end.get("state") + ": " + end.get("reason"));
                }
            }
        }
        if (json) {
            Map<String, Object> out = RigReport.json(plan, List.of());
            out.put("nothingToDo", rollouts.isEmpty());
            out.put("rollouts", rollouts);
            console.out().println(Pretty.compact(out));
        }
        return ok ? Exit.OK : Exit.FAILED;
    }

    /** Polls the rollout every 500 ms until it has ended (or paused, which waits for an operator). */
    private Map<?, ?> follow(MixerApiClient client, String id) throws IOException, InterruptedException {
        Set<String> ended = Set.of("done", "failed", "rolled-back", "aborted", "paused");
        while (true) {
            MixerApiClient.Reply r = client.call("GET", RolloutPaths.rollout(id), null);
            if (r.status() == 200 && r.json() instanceof Map<?, ?> m && ended.contains(String.valueOf(m.get("state")))) {
                return m;
            }
            if (r.status() != 200 && r.status() != 503) {
                throw new IOException("rollout " + id + ": " + r.error());
            }
            Thread.sleep(500);
        }
    }
}
