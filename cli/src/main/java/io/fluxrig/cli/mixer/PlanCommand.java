package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.rig.Artifact;
import io.fluxrig.cli.rig.Plan;
import io.fluxrig.cli.rig.RigFile;
import io.fluxrig.snake.api.CommandType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plan RIG.yaml}: the difference between a rig file and each rack's reported inventory,
 * and each changed bundle's pre-flight on its rack ({@code preflight-bundle}, the rack resolving
 * it against its own framework, as {@code deploy --dry-run} does). Changes nothing on any rack.
 */
@Command(name = "plan", description = {"show what 'apply' would change: a rig file against each rack's inventory",
        "Reads RIG.yaml (the racks, bundles and patch each should run; format in cli/README.md), reads every rack it "
                + "selects from the Mixer, and prints per rack each bundle and the patch: + install (the rack lacks it), "
                + "~ update (another release runs), ~ apply (another patch runs), = in place (same sha-256). Then each "
                + "bundle to install or update is pre-flighted on its rack (online racks only): the rack resolves it "
                + "against its own framework and installs nothing. --no-preflight skips that.",
        "Exit codes: 0 planned (with or without changes) and every pre-flight resolved, 1 the rig file refused (file:line: "
                + "field: reason), the Mixer refused, or a pre-flight did not resolve, 2 usage.",
        MixerApiOptions.ENVIRONMENT})
public final class PlanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RIG.yaml", description = "the rig file")
    Path rig;
    @Option(names = "--no-preflight", description = "do not pre-flight the bundles that would change")
    boolean noPreflight;
    @Option(names = "--timeout-s", paramLabel = "N", defaultValue = "120", description = "wait for each pre-flight at most N s (default ${DEFAULT-VALUE})")
    int timeoutSeconds;
    @Option(names = "--json", description = "print the plan as one line of JSON")
    boolean json;
    @Mixin
    MixerCall mixer;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Plan plan = plan(mixer, "plan", rig);
        if (plan == null) {
            return Exit.FAILED;
        }
        Console console = mixer.console();
        List<RigReport.Preflight> preflights = noPreflight ? List.of()
                : preflight(mixer.client(), plan, Duration.ofSeconds(Math.max(1, timeoutSeconds)));
        if (json) {
            console.out().println(Pretty.compact(RigReport.json(plan, preflights)));
        } else {
            RigReport.human(console.out(), "plan", plan, preflights);
        }
        return preflights.stream().allMatch(p -> p.ok() || p.state().equals("not run")) ? Exit.OK : Exit.FAILED;
    }

    /** @return the plan (the client opened first), or null after printing why there is none */
    static Plan plan(MixerCall mixer, String command, Path rig) throws IOException {
        MixerApiClient client = mixer.client();
        try {
            RigFile file = RigFile.read(rig);
            return Plan.of(file, RigFleet.read(client, file));
        } catch (RigFile.RigException e) {
            mixer.console().err().println("fluxrig " + command + ": " + e.getMessage());
        } catch (RigFleet.Unreadable e) {
            mixer.console().err().println("fluxrig " + command + ": the Mixer refused: " + e.getMessage());
        }
        return null;
    }

    /** Pre-flights each bundle that would change, on each online rack it would change on, one command at a time. */
    private static List<RigReport.Preflight> preflight(MixerApiClient client, Plan plan, Duration timeout) throws InterruptedException {
        List<RigReport.Preflight> out = new ArrayList<>();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Deployment deployment = new Deployment(new MixerDeployApi(client), quiet, quiet, timeout, Duration.ofMillis(200));
        for (Plan.RackPlan r : plan.racks()) {
            for (Plan.Change c : r.changes()) {
                Artifact a = c.artifact();
                if (!c.changes() || !Artifact.BUNDLE.equals(a.kind())) {
                    continue;
                }
                if (!"online".equals(r.state())) {
                    out.add(new RigReport.Preflight(r.rack(), a, "not run", "the rack is " + r.state()));
                    continue;
                }
                deployment.run(r.rack(), List.of(new Deployment.Step(CommandType.PREFLIGHT_BUNDLE.wire(), a.file(), a.digest(),
                        a.release())));
                List<Deployment.Reported> all = deployment.reported();
                String outcome = all.get(all.size() - 1).outcome();
                int colon = outcome.indexOf(": ");
                String state = colon < 0 ? outcome : outcome.substring(0, colon);
                out.add(new RigReport.Preflight(r.rack(), a, state.startsWith("timed out") ? "timed out" : state,
                        colon < 0 ? "" : outcome.substring(colon + 2)));
            }
        }
        return out;
    }
}
