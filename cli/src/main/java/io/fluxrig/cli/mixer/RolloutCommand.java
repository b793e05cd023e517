package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Console;
import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Group;
import io.fluxrig.cli.rig.HealthLimits;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.SignedRelease;
import io.fluxrig.snake.api.rollout.RolloutPaths;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import io.fluxrig.snake.api.rollout.RolloutStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rollout create|status|pause|resume|abort|rollback}: the Mixer's rollouts (operator API
 * {@link RolloutPaths}). {@code create} uploads the files, takes each {@code FILE.sig} along, and
 * asks for a pre-flight of every bundle on each rack before its installs. Stateless.
 */
@Command(name = "rollout", description = {"take bundles and a patch to many racks, wave by wave",
        "create: upload the files and start a rollout to the racks a selector matches; status: one rollout (or all) with "
                + "each rack's state; pause, resume, abort, rollback. Every subcommand takes --json.",
        MixerApiOptions.ENVIRONMENT},
        subcommands = {RolloutCommand.Create.class, RolloutCommand.Status.class, RolloutCommand.Pause.class,
            RolloutCommand.Resume.class, RolloutCommand.Abort.class, RolloutCommand.Rollback.class})
public final class RolloutCommand extends Group {
    RolloutCommand(Console console) {
        super(console);
    }

    /** {@code rollout create}. */
    @Command(name = "create", description = {"start a rollout",
            "Uploads each --bundle and the --patch (with FILE.sig when it exists), then asks the Mixer to take them to every "
                    + "rack --to selects: each rack pre-flights every bundle (resolves it against its own framework), then "
                    + "installs the bundles and applies the patch, one command at a time. Racks go in --waves (counts or "
                    + "shares, cumulative; the first is the canary); a wave's racks must be done and healthy for --soak before "
                    + "the next wave opens; more than --max-failures failed racks pause the rollout or, with --on-failure "
                    + "rollback, undo it on every rack already changed: each rack applies again the patch it ran before (a "
                    + "numbered snapshot it keeps), puts back the release its install replaced (it keeps a copy) and uninstalls "
                    + "a bundle that was new to it. --rollback-bundle FILE installs given files instead (the previous release, "
                    + "signed with allow-downgrade). A rack that stays in one state longer than --deadline times out.",
            "Health gate: during its soak a rack also fails when a heartbeat after the change reports an error rate above "
                    + "--max-error-rate or a p99 processing time above --max-p99, for the gear instances the change touched "
                    + "(those running a bundle it installs, by its signed release's name; every instance when it applies a "
                    + "patch or the bundle is unsigned). The rack's state then says which figure, how much, and the limit.",
            "Prints the rollout id and its plan; --json prints the rollout record.",
            "Exit codes: 0 created, 1 refused (the reason names the field) or a file missing, 2 usage."})
    static final class Create implements Callable<Integer> {
        @Option(names = "--to", required = true, paramLabel = "SELECTOR", description = "all, a rack name, or label=value[,label=value]")
        String selector;
        @Option(names = "--bundle", paramLabel = "FILE", description = "a bundle to install; repeat for several")
        List<Path> bundles = new ArrayList<>();
        @Option(names = "--patch", paramLabel = "FILE", description = "the patch to apply after the bundles")
        Path patch;
        @Option(names = "--waves", paramLabel = "W,W,...", split = ",", defaultValue = "1,100%",
                description = "cumulative wave sizes (default ${DEFAULT-VALUE})")
        List<String> waves;
        @Option(names = "--soak", paramLabel = "DURATION", defaultValue = "30s", description = "healthy time per rack (default ${DEFAULT-VALUE})")
        String soak;
        @Option(names = "--max-failures", paramLabel = "N", defaultValue = "0", description = "failed racks tolerated (default ${DEFAULT-VALUE})")
        int maxFailures;
        @Option(names = "--on-failure", paramLabel = "pause|rollback", defaultValue = "pause", description = "default ${DEFAULT-VALUE}")
        String onFailure;
        @Option(names = "--rollback-bundle", paramLabel = "FILE", description = "install this on failure instead of restoring what each rack kept")
        List<Path> rollbackBundles = new ArrayList<>();
        @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "10m",
                description = "progress deadline per rack state (default ${DEFAULT-VALUE})")
        String deadline;
        @Option(names = "--include-new", description = "racks that start matching the selector while the rollout runs join it")
        boolean includeNew;
        @Option(names = "--max-error-rate", paramLabel = "P%|FRACTION", description = "health gate: the highest error rate of the "
                + "touched gear instances per heartbeat during the soak, e.g. 5%% or 0.05 (default "
                + "25%%: only a change that breaks a good share of the traffic fails)")
        String maxErrorRate;
        @Option(names = "--max-p99", paramLabel = "DURATION", description = "health gate: the highest p99 processing time of the "
                + "touched gear instances during the soak, e.g. 250ms or 2s (default 1s)")
        String maxP99;
        @Option(names = "--json", description = "print the rollout as one line of JSON")
        boolean json;
        @Mixin
        MixerCall mixer;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Console console = mixer.console();
            if (bundles.isEmpty() && patch == null) {
                throw new ParameterException(spec.commandLine(), "nothing to roll out: give --bundle FILE and/or --patch FILE");
            }
            long soakMs = millis("--soak", soak);
            long deadlineMs = millis("--deadline", deadline);
            Double errorLimit = maxErrorRate == null ? null : limit("--max-error-rate", maxErrorRate, HealthLimits::errorRate);
            Double p99Limit = maxP99 == null ? null : limit("--max-p99", maxP99, HealthLimits::p99Millis);
            List<Path> all = new ArrayList<>(bundles);
            if (patch != null) {
                all.add(patch);
            }
            all.addAll(rollbackBundles);
            for (Path f : all) {
                if (!Files.isRegularFile(f)) {
                    console.err().println("fluxrig rollout create: " + f + ": no such file; nothing was sent");
                    return Exit.FAILED;
                }
            }
            MixerDeployApi api = new MixerDeployApi(mixer.client());
            List<RolloutStep> installs = new ArrayList<>();
            List<RolloutStep> preflights = new ArrayList<>();
            List<RolloutStep> back = new ArrayList<>();
            try {
                for (Path b : bundles) {
                    RolloutStep s = upload(api, b, CommandType.INSTALL_BUNDLE.wire());
                    installs.add(s);
                    preflights.add(new RolloutStep(CommandType.PREFLIGHT_BUNDLE.wire(), s.digest(), s.name(), s.release()));
                }
                if (patch != null) {
                    installs.add(upload(api, patch, CommandType.APPLY_PATCH.wire()));
                }
                for (Path b : rollbackBundles) {
                    back.add(upload(api, b, CommandType.INSTALL_BUNDLE.wire()));
                }
            } catch (DeployApi.Refusal r) {
                console.err().println("fluxrig rollout create: upload refused: " + r.getMessage());
                return Exit.FAILED;
            }
            List<RolloutStep> steps = new ArrayList<>(preflights);
            steps.addAll(installs);
            RolloutRequest q = new RolloutRequest(selector, waves, steps, back, soakMs, maxFailures, onFailure, deadlineMs, includeNew,
                    errorLimit, p99Limit);
            Map<?, ?> m = mixer.object("POST", RolloutPaths.ROLLOUTS, new String(SnakeCodec.json().write(q), StandardCharsets.UTF_8),
                    201, "fluxrig rollout create: the Mixer refused: ");
            if (m == null) {
                return Exit.FAILED;
            }
            if (json) {
                console.out().println(Pretty.compact(Times.iso(m)));
            } else {
                console.out().println("rollout " + m.get("id") + " created: " + m.get("reason"));
                RolloutCommand.print(console, m);
            }
            return Exit.OK;
        }

        static RolloutStep upload(MixerDeployApi api, Path file, String type) throws IOException, DeployApi.Refusal {
            String digest = DeployCommand.sha256(file);
            String stored = api.upload(file);
            if (!stored.equals(digest)) {
                throw new DeployApi.Refusal(0, file + " was stored as " + stored + " but hashes to " + digest + " (did it change?)");
            }
            Path sig = Path.of(file + SignedRelease.SUFFIX);
            String release = null;
            if (Files.exists(sig)) {
                SignedRelease s = SnakeCodec.json().read(Files.readAllBytes(sig), SignedRelease.class);
                if (s.statement() == null || !digest.equals(s.statement().digest())) {
                    throw new DeployApi.Refusal(0, sig + " is not for " + file + " (" + digest + "); sign it again");
                }
                release = new String(SnakeCodec.json().write(s), StandardCharsets.UTF_8);
            }
            return new RolloutStep(type, digest, file.getFileName().toString(), release);
        }

        /** @return the option's value read by {@code parse}, its refusal a usage error naming the option */
        private double limit(String option, String text, ToDoubleFunction<String> parse) {
            try {
                return parse.applyAsDouble(text);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
            }
        }

        private long millis(String option, String text) {
            return (long) limit(option, text, t -> (double) HealthLimits.millis(t));
        }
    }

    /** {@code rollout status [ID]}. */
    @Command(name = "status", description = {"show a rollout with each rack's state, or every rollout",
            "One line for the rollout (id, state, wave, reason), then one per rack: name, wave, state, detail. Without ID, "
                    + "one line per rollout. --json prints the record(s).",
            "--watch ID follows the rollout until it ends (done, failed, rolled-back, aborted) or pauses: one line when a "
                    + "wave opens, one per rack state change, one at the end; exit 0 only when it ended done."})
    static final class Status implements Callable<Integer> {
        private static final String REFUSED = "fluxrig rollout status: the Mixer refused: ";
        @Parameters(paramLabel = "ID", arity = "0..1", description = "the rollout (default: list all)")
        String id;
        @Option(names = "--json", description = "print one line of JSON")
        boolean json;
        @Option(names = "--watch", description = "follow the rollout ID until it ends, one line per change")
        boolean watch;
        @Spec
        CommandSpec spec;
        @Mixin
        MixerCall mixer;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (watch) {
                if (id == null || json) {
                    throw new ParameterException(spec.commandLine(), "--watch follows one rollout: give its ID (and no --json)");
                }
                return follow();
            }
            MixerApiClient.Reply r = mixer.client().call("GET", id == null ? RolloutPaths.ROLLOUTS : RolloutPaths.rollout(id), null);
            if (r.status() != 200) {
                return mixer.refused(REFUSED, r);
            }
            Console console = mixer.console();
            if (json) {
                console.out().println(Pretty.compact(Times.iso(r.json())));
            } else if (r.json() instanceof Map<?, ?> m) {
                print(console, m);
            } else if (r.json() instanceof List<?> l) {
                for (Object o : l) {
                    Map<?, ?> m = (Map<?, ?>) o;
                    console.out().println(m.get("id") + "  " + m.get("state") + "  " + m.get("reason"));
                }
            }
            return Exit.OK;
        }

        private int follow() throws IOException, InterruptedException {
            RolloutWatch w = new RolloutWatch(null);
            while (true) {
                Map<?, ?> m = mixer.object("GET", RolloutPaths.rollout(id), null, 200, REFUSED);
                if (m == null) {
                    return Exit.FAILED;
                }
                w.changes(m).forEach(mixer.console().out()::println);
                mixer.console().out().flush();
                if (w.ended()) {
                    return "done".equals(w.state()) ? Exit.OK : Exit.FAILED;
                }
                Thread.sleep(WATCH_POLL_MS);
            }
        }
    }

    /** How often {@code --watch} asks for the rollout (the Mixer advances rollouts once a second). */
    static final long WATCH_POLL_MS = 250;

    /** {@code rollout pause ID}. */
    @Command(name = "pause", description = "pause a rollout: no rack starts a new step until it is resumed")
    static final class Pause extends Action {
        Pause() {
            super(RolloutPaths.PAUSE);
        }
    }

    /** {@code rollout resume ID}. */
    @Command(name = "resume", description = "resume a paused rollout (the failures so far are accepted)")
    static final class Resume extends Action {
        Resume() {
            super(RolloutPaths.RESUME);
        }
    }

    /** {@code rollout abort ID}. */
    @Command(name = "abort", description = "abort a rollout: nothing more is sent; racks not finished are marked skipped")
    static final class Abort extends Action {
        Abort() {
            super(RolloutPaths.ABORT);
        }
    }

    /** {@code rollout rollback ID}. */
    @Command(name = "rollback", description = {"roll a rollout back on every rack it changed, also once it is done",
            "Each changed rack gets the rollback steps (without them: it applies again the patch it ran before, a numbered "
                    + "snapshot it kept, and restores the release its install replaced, which it kept); racks not changed are "
                    + "skipped. Refused for a rollout rolled back already."})
    static final class Rollback extends Action {
        Rollback() {
            super(io.fluxrig.snake.api.rollout.Rollout.ROLLBACK);
        }
    }

    /** A control action on one rollout. */
    abstract static class Action implements Callable<Integer> {
        @Parameters(paramLabel = "ID", description = "the rollout")
        String id;
        @Option(names = "--json", description = "print the rollout as one line of JSON")
        boolean json;
        @Mixin
        MixerCall mixer;
        private final String action;

        Action(String action) {
            this.action = action;
        }

        @Override
        public Integer call() throws IOException {
            Map<?, ?> m = mixer.object("POST", RolloutPaths.action(id, action), null, 200, "fluxrig rollout " + action + ": the Mixer refused: ");
            if (m == null) {
                return Exit.FAILED;
            }
            if (json) {
                mixer.console().out().println(Pretty.compact(Times.iso(m)));
            } else {
                print(mixer.console(), m);
            }
            return Exit.OK;
        }
    }

    static void print(Console console, Map<?, ?> m) {
        Object wave = m.get("wave");
        Object targets = m.get("waveTargets");
        int waves = targets instanceof List<?> l ? l.size() : 0;
        console.out().println("rollout " + m.get("id") + ": " + m.get("state") + ", wave " + (wave instanceof Number n ? n.intValue() + 1 : "?")
                + " of " + waves + ": " + m.get("reason"));
        if (m.get("racks") instanceof Map<?, ?> racks) {
            for (Map.Entry<?, ?> e : racks.entrySet()) {
                Map<?, ?> p = (Map<?, ?>) e.getValue();
                Object w = p.get("wave");
                console.out().printf("  %-24s wave %-3s %-13s %s%n", e.getKey(), w instanceof Number n ? n.intValue() + 1 : "?",
                        p.get("state"), p.get("detail"));
            }
        }
        if (m.get("traces") instanceof Map<?, ?> t) {
            // From a Mixer that knows it: the span filter, and the search link when the Mixer has one configured.
            console.out().println("  traces: spans with " + t.get("attribute") + "=" + t.get("value")
                    + (t.get("searchUrl") instanceof String url ? " at " + url : " (no trace search URL configured on the Mixer)"));
        }
    }
}
