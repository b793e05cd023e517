package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Exit;
import io.fluxrig.cli.Misuse;
import io.fluxrig.cli.Console;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.RackNames;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.release.SignedRelease;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deploy RACK [--bundle FILE]... [--patch FILE] [--timeout-s N]}: uploads each file to the
 * Mixer and has the rack install it (install-bundle for each bundle in the given order, then
 * apply-patch), waiting for each command's result before sending the next (see
 * {@link Deployment} for the printed lines). Every file is read and hashed before anything is
 * sent, so a missing or unreadable file sends nothing. Stateless.
 */
@Command(name = "deploy", customSynopsis = "fluxrig deploy RACK [--bundle FILE]... [--patch FILE] [--dry-run] [--timeout-s N] [--json] "
        + MixerApiClient.USAGE_OPTIONS,
        description = {"upload bundles and a patch and have a rack install them, one by one",
                "For each --bundle (in the given order), then the --patch: upload the file (POST /api/artifacts), queue "
                        + "install-bundle / apply-patch {digest, name: the file name} for RACK, and wait for the rack's result "
                        + "(polled every 200 ms, at most --timeout-s seconds per command).",
                "--dry-run sends preflight-bundle instead of install-bundle: the rack fetches each bundle, checks its "
                        + "signature and resolves it against its own framework, and answers done or refused with the missing "
                        + "requirements, installing nothing (every install-bundle makes the same check before it writes anything).",
                "A signature FILE.sig beside a file (from 'fluxrig release sign') goes along as the command's release "
                        + "argument; a rack with pinned publisher keys refuses a file without one.",
                "One line per step:  RACK: TYPE NAME (sha256:HEX12): done: DETAIL",
                "Stops at the first step that is not done (failed, refused, timed out: the command stays queued, its id is "
                        + "printed; upload refused, not queued, error) and names the steps not sent. With --json, one object "
                        + "{rack, ok, steps: [{type, name, digest, signed, done, outcome}]} instead of the lines.",
                "Exit codes: 0 all done, 1 a step not done or a file missing/unreadable (nothing sent), 2 usage.",
                MixerApiOptions.ENVIRONMENT})
public final class DeployCommand implements Callable<Integer>, Misuse.UsageOnMisuse {
    static final String INSTALL = CommandType.INSTALL_BUNDLE.wire();
    static final String PATCH = CommandType.APPLY_PATCH.wire();
    static final String PREFLIGHT = CommandType.PREFLIGHT_BUNDLE.wire();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int DEFAULT_TIMEOUT_S = 120;

    @Parameters(paramLabel = "RACK", arity = "0..*", description = "the rack to deploy to")
    List<String> racks = new ArrayList<>();
    @Option(names = "--bundle", paramLabel = "FILE", description = "a bundle to install; repeat for several, installed in the given order")
    List<String> bundles = new ArrayList<>();
    @Option(names = "--patch", paramLabel = "FILE", description = "the patch to apply after the bundles (at most one)")
    List<String> patches = new ArrayList<>();
    @Option(names = "--timeout-s", paramLabel = "N", defaultValue = "" + DEFAULT_TIMEOUT_S,
            description = "seconds to wait for each command's result, 1..86400 (default ${DEFAULT-VALUE})")
    String timeoutText;
    @Option(names = "--json", description = "print one JSON object with every step's outcome (for scripts)")
    boolean json;
    @Option(names = "--dry-run", description = "have the rack resolve each bundle against its own framework "
            + "(preflight-bundle) and report missing requirements, installing nothing")
    boolean dryRun;
    @Mixin
    MixerApiOptions apiOptions;
    @Spec
    CommandSpec spec;

    private final Console console;

    DeployCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        if (racks.size() != 1) {
            return usage(racks.isEmpty() ? "which rack? (RACK is missing)" : "one RACK expected, got " + racks);
        }
        String rack = racks.get(0);
        if (!RackNames.valid(rack)) {
            return usage("RACK: " + RackNames.problem(rack));
        }
        if (bundles.isEmpty() && patches.isEmpty()) {
            return usage("nothing to deploy: give --bundle FILE and/or --patch FILE");
        }
        if (dryRun && !patches.isEmpty()) {
            return usage("--dry-run pre-flights bundles only (a patch is validated by the rack when applied)");
        }
        if (patches.size() > 1) {
            return usage("--patch: at most one patch file (got " + patches.size() + ")");
        }
        int timeout;
        try {
            timeout = Integer.parseInt(timeoutText);
            if (timeout < 1 || timeout > 86_400) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            return usage("--timeout-s: '" + timeoutText + "' must be whole seconds, 1 to 86400");
        }
        List<Deployment.Step> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String b : bundles) {
            step(dryRun ? PREFLIGHT : INSTALL, "--bundle", b, steps, problems);
        }
        for (String p : patches) {
            step(PATCH, "--patch", p, steps, problems);
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> console.err().println("fluxrig deploy: " + p));
            console.err().println("fluxrig deploy: nothing was sent");
            return Exit.FAILED;
        }
        PrintStream lines = json ? new PrintStream(OutputStream.nullOutputStream()) : console.out();
        Deployment d = new Deployment(new MixerDeployApi(apiOptions.client(console)), lines, console.err(),
                Duration.ofSeconds(timeout), POLL);
        boolean ok;
        try {
            ok = d.run(rack, steps);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            console.err().println("fluxrig deploy: interrupted while waiting; the current command stays queued");
            return Exit.FAILED;
        }
        if (json) {
            console.out().println(json(rack, ok, d.reported()));
        }
        return ok ? Exit.OK : Exit.FAILED;
    }

    private static String json(String rack, boolean ok, List<Deployment.Reported> reported) {
        List<Object> steps = new ArrayList<>();
        for (Deployment.Reported r : reported) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", r.step().type());
            m.put("name", r.step().name());
            m.put("digest", r.step().digest());
            m.put("signed", r.step().release() != null);
            m.put("done", r.done());
            m.put("outcome", r.outcome());
            steps.add(m);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("rack", rack);
        o.put("ok", ok);
        o.put("steps", steps);
        return Pretty.compact(o);
    }

    /** Checks the file and hashes it (read to the end: proves it is readable now). */
    private static void step(String type, String option, String name, List<Deployment.Step> steps, List<String> problems) {
        Path file = Path.of(name);
        if (!Files.exists(file)) {
            problems.add(option + " " + name + ": no such file");
        } else if (!Files.isRegularFile(file)) {
            problems.add(option + " " + name + ": not a regular file");
        } else {
            try {
                String digest = sha256(file);
                Path sig = Path.of(name + SignedRelease.SUFFIX);
                String release = null;
                if (Files.exists(sig)) {
                    release = signature(sig, digest, option + " " + name, problems);
                    if (release == null) {
                        return;
                    }
                }
                steps.add(new Deployment.Step(type, file, digest, release));
            } catch (IOException e) {
                problems.add(option + " " + name + ": cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
    }

    /**
     * Reads a detached signature and checks that it is for this file's content (the rack checks
     * the signature itself; this only spares a round trip for a stale {@code .sig}).
     *
     * @return the signed release as compact JSON, or null when a problem was added
     */
    private static String signature(Path sig, String digest, String what, List<String> problems) throws IOException {
        SignedRelease r;
        try {
            r = SnakeCodec.json().read(Files.readAllBytes(sig), SignedRelease.class);
        } catch (SnakeCodec.DecodeException e) {
            problems.add(what + ": its signature " + sig + " is not a signed release: " + e.getMessage());
            return null;
        }
        if (r.statement() == null || !digest.equals(r.statement().digest())) {
            problems.add(what + ": its signature " + sig + " is for " + (r.statement() == null ? "no statement" : r.statement().digest())
                    + " but the file is " + digest + " (sign it again with 'fluxrig release sign')");
            return null;
        }
        return new String(SnakeCodec.json().write(r), StandardCharsets.UTF_8);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0;) {
                sha.update(buf, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private int usage(String why) {
        throw new ParameterException(spec.commandLine(), why);
    }
}
