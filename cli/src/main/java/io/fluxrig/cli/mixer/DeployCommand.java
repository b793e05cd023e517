package io.fluxrig.cli.mixer;

import io.fluxrig.cli.Command;
import io.fluxrig.cli.Console;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.RackNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code deploy RACK [--bundle FILE]... [--patch FILE] [--timeout-s N]}: uploads each file to the
 * Mixer and has the rack install it (install-bundle for each bundle in the given order, then
 * apply-patch), waiting for each command's result before sending the next (see
 * {@link Deployment} for the printed lines). Every file is read and hashed before anything is
 * sent, so a missing or unreadable file sends nothing. Stateless.
 */
public final class DeployCommand implements Command {
    static final String INSTALL = CommandType.INSTALL_BUNDLE.wire();
    static final String PATCH = CommandType.APPLY_PATCH.wire();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int DEFAULT_TIMEOUT_S = 120;

    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public String summary() {
        return "upload bundles and a patch and have a rack install them, one by one";
    }

    @Override
    public String help() {
        return "usage: fluxrig deploy RACK [--bundle FILE]... [--patch FILE] [--timeout-s N] " + MixerApiClient.USAGE_OPTIONS + "\n"
                + "  For each --bundle (in the given order), then the --patch: upload the file (POST /api/artifacts),\n"
                + "  queue install-bundle / apply-patch {digest, name: the file name} for RACK, and wait for the rack's\n"
                + "  result (polled every 200 ms, at most --timeout-s seconds per command, default " + DEFAULT_TIMEOUT_S + ").\n"
                + "  One line per step:  RACK: TYPE NAME (sha256:HEX12): done: DETAIL\n"
                + "  Stops at the first step that is not done (failed, refused, timed out: the command stays queued,\n"
                + "  its id is printed; upload refused, not queued, error) and names the steps not sent.\n"
                + "  Exit codes: 0 all done, 1 a step not done or a file missing/unreadable (nothing sent), 2 usage.";
    }

    @Override
    public int run(List<String> args, Console console) throws IOException {
        Map<String, String> o = new HashMap<>();
        Map<String, List<String>> files = new LinkedHashMap<>();
        List<String> rest;
        try {
            rest = MixerApiClient.parse(args, List.of("--timeout-s"), List.of("--bundle", "--patch"), o, files);
        } catch (IOException e) {
            return usage(console, e.getMessage());
        }
        List<String> bundles = files.getOrDefault("--bundle", List.of());
        List<String> patches = files.getOrDefault("--patch", List.of());
        if (rest.size() != 1) {
            return usage(console, rest.isEmpty() ? "which rack? (RACK is missing)" : "one RACK expected, got " + rest);
        }
        String rack = rest.get(0);
        if (!RackNames.valid(rack)) {
            return usage(console, "RACK: " + RackNames.problem(rack));
        }
        if (bundles.isEmpty() && patches.isEmpty()) {
            return usage(console, "nothing to deploy: give --bundle FILE and/or --patch FILE");
        }
        if (patches.size() > 1) {
            return usage(console, "--patch: at most one patch file (got " + patches.size() + ")");
        }
        int timeout;
        try {
            timeout = Integer.parseInt(o.getOrDefault("--timeout-s", Integer.toString(DEFAULT_TIMEOUT_S)));
            if (timeout < 1 || timeout > 86_400) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            return usage(console, "--timeout-s: '" + o.get("--timeout-s") + "' must be whole seconds, 1 to 86400");
        }
        List<Deployment.Step> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String b : bundles) {
            step(INSTALL, "--bundle", b, steps, problems);
        }
        for (String p : patches) {
            step(PATCH, "--patch", p, steps, problems);
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> console.err().println("fluxrig deploy: " + p));
            console.err().println("fluxrig deploy: nothing was sent");
            return FAILED;
        }
        Deployment d = new Deployment(new MixerDeployApi(MixerApiClient.from(o)), console.out(), console.err(),
                Duration.ofSeconds(timeout), POLL);
        try {
            return d.run(rack, steps) ? OK : FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            console.err().println("fluxrig deploy: interrupted while waiting; the current command stays queued");
            return FAILED;
        }
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
                steps.add(new Deployment.Step(type, file, sha256(file)));
            } catch (IOException e) {
                problems.add(option + " " + name + ": cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
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

    private int usage(Console console, String why) {
        console.err().println("fluxrig deploy: " + why);
        console.err().println(help());
        return USAGE;
    }
}
