package io.fluxrig.cli.mixer;

import io.fluxrig.snake.api.release.SignedRelease;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the steps of {@code fluxrig deploy} one after the other: for each file, upload it, queue
 * its command with {@code {digest, name}}, and poll the command until the rack reports a result
 * or the timeout passes. Stops at the first step that is not done. Prints one line per step to
 * {@code out} (the format is part of the CLI's documented output, see cli/README.md):
 * <pre>
 * RACK: TYPE NAME (sha256:HEX12): done: DETAIL
 * RACK: TYPE NAME (sha256:HEX12): failed: DETAIL        (also refused: DETAIL; a DETAIL of several
 *   - PROBLEM                                             lines lists one problem per line like this)
 * RACK: TYPE NAME (sha256:HEX12): timed out after N s: still pending; the command stays queued (id ID)
 * RACK: TYPE NAME (sha256:HEX12): upload refused: REASON | not queued: REASON | error: REASON
 * </pre>
 * and, when it stops early, one line to {@code err} naming the steps not sent. Single-threaded;
 * blocks the caller while it polls.
 */
final class Deployment {
    /**
     * One file to deploy.
     *
     * @param type the command type (install-bundle, apply-patch)
     * @param file the file
     * @param digest its sha-256 computed locally, {@code sha256:<hex>}
     * @param release the {@code FILE.sig} beside it as compact JSON (a signed release for this
     *        digest), or null for an unsigned artifact
     */
    record Step(String type, Path file, String digest, String release) {
        /** An unsigned step. */
        Step(String type, Path file, String digest) {
            this(type, file, digest, null);
        }

        String name() {
            return file.getFileName().toString();
        }

        String label() {
            return type + " " + name() + " (" + digest.substring(0, Math.min(digest.length(), "sha256:".length() + 12)) + ")";
        }
    }

    /**
     * What one step came to, in the order run (for {@code deploy --json}).
     *
     * @param step the step
     * @param done whether the rack reported it done
     * @param outcome the text printed after the step's label
     */
    record Reported(Step step, boolean done, String outcome) {
    }

    private final java.util.List<Reported> reported = new java.util.ArrayList<>();
    private final DeployApi api;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration timeout;
    private final Duration poll;

    /**
     * @param api the Mixer
     * @param out step lines
     * @param err the final line when a step is not done
     * @param timeout how long to wait for each command's result
     * @param poll how often to ask for it
     */
    Deployment(DeployApi api, PrintStream out, PrintStream err, Duration timeout, Duration poll) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.timeout = timeout;
        this.poll = poll;
    }

    /**
     * @param rack the rack
     * @param steps the steps, in order
     * @return true when every step is done
     * @throws InterruptedException when interrupted while waiting
     */
    boolean run(String rack, List<Step> steps) throws InterruptedException {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            Outcome outcome = step(rack, s);
            reported.add(new Reported(s, outcome.done(), outcome.text()));
            // The outcome quotes the rack's own report (one problem per line): each line escaped, so it cannot
            // move the cursor, colour the terminal or hide in a carriage return.
            out.println(rack + ": " + s.label() + ": " + outcome.text().lines().map(io.fluxrig.snake.api.LogText::escape)
                    .collect(java.util.stream.Collectors.joining("\n")));
            out.flush();
            if (!outcome.done()) {
                StringBuilder notSent = new StringBuilder();
                for (Step later : steps.subList(i + 1, steps.size())) {
                    notSent.append(notSent.length() == 0 ? "" : ", ").append(later.type()).append(' ').append(later.name());
                }
                err.println("fluxrig deploy: stopped at step " + (i + 1) + " of " + steps.size() + " (" + s.type() + " "
                        + s.name() + "); " + (notSent.length() == 0 ? "no steps left unsent" : "not sent: " + notSent));
                return false;
            }
        }
        return true;
    }

    /** @return the steps run so far and what each came to */
    List<Reported> reported() {
        return List.copyOf(reported);
    }

    /** A step's result: done or not, and the text printed after its label. */
    private record Outcome(boolean done, String text) {
        static Outcome not(String text) {
            return new Outcome(false, text);
        }
    }

    private Outcome step(String rack, Step s) throws InterruptedException {
        String digest;
        try {
            digest = api.upload(s.file());
        } catch (DeployApi.Refusal r) {
            return Outcome.not("upload refused: " + r.getMessage());
        } catch (IOException e) {
            return Outcome.not("error: upload failed: " + e.getMessage());
        }
        if (!s.digest().equals(digest)) {
            return Outcome.not("error: the Mixer stored the upload as " + digest + " but the file's digest is " + s.digest()
                    + " (did the file change meanwhile?); the command was not queued");
        }
        Map<String, String> args = new LinkedHashMap<>();
        args.put("digest", digest);
        args.put("name", s.name());
        if (s.release() != null) {
            args.put(SignedRelease.ARG, s.release());
        }
        String id;
        try {
            id = api.enqueue(rack, s.type(), args);
        } catch (DeployApi.Refusal r) {
            return Outcome.not("not queued: " + r.getMessage());
        } catch (IOException e) {
            return Outcome.not("error: queueing failed: " + e.getMessage());
        }
        return await(rack, id);
    }

    /** The Mixer's answer when it could not complete a request for now (its NATS store did not answer). */
    static final int UNAVAILABLE = 503;

    private Outcome await(String rack, String id) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = null;
        while (true) {
            try {
                DeployApi.CommandState c = api.status(rack, id);
                if (!c.pending()) {
                    boolean done = "done".equals(c.state());
                    String raw = c.detail() == null ? "" : c.detail().strip();
                    String detail = done ? raw.replaceAll("\\s*\\R\\s*", " ") : problems(raw);
                    return new Outcome(done, c.state() + (detail.isEmpty() ? "" : ": " + detail));
                }
                lastError = null;
            } catch (DeployApi.Refusal r) {
                if (r.status != UNAVAILABLE) {
                    return Outcome.not("error: reading command " + id + " failed: " + r.getMessage());
                }
                // 503: the Mixer is up but its store did not answer in time (a NATS leader election, a loaded
                // cluster); the command is queued and stays so: ask again until the deadline.
                lastError = r.getMessage();
            } catch (IOException e) {
                lastError = e.getMessage(); // the Mixer may be briefly unreachable: ask again until the deadline
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Outcome.not("timed out after " + seconds(timeout) + ": " + (lastError == null ? "still pending"
                        : "no answer (" + lastError + ")") + "; the command stays queued (id " + id + ")");
            }
            Thread.sleep(Math.max(1, Math.min(poll.toMillis(), left / 1_000_000)));
        }
    }

    /**
     * A refusal's text with one problem per line: its first line stays on the step's line, each
     * further line (the rack sends one per problem) follows indented as {@code   - PROBLEM}.
     */
    static String problems(String detail) {
        List<String> lines = detail.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        StringBuilder sb = new StringBuilder(lines.isEmpty() ? "" : lines.get(0));
        for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
            sb.append(System.lineSeparator()).append("  - ").append(l);
        }
        return sb.toString();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
