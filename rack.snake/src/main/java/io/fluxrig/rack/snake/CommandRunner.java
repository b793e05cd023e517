package io.fluxrig.rack.snake;

import io.fluxrig.snake.api.LogText;
import io.fluxrig.rack.spi.DeployException;
import io.fluxrig.rack.spi.DeployOrigin;
import io.fluxrig.rack.spi.Deployer;
import io.fluxrig.snake.api.Command;
import io.fluxrig.snake.api.CommandBatch;
import io.fluxrig.snake.api.CommandResult;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.SnakeCodec;
import io.fluxrig.snake.api.SnakeRoute;
import io.fluxrig.snake.api.release.SignedRelease;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rack's command stream: a long poll ({@code GET /snake/commands}) held open on the Snake's
 * HTTP/2 connection (the Mixer never connects to a rack), each command executed at most once by
 * id ({@link CommandLedger}) and its result reported ({@code POST /snake/commands/result}). A
 * command delivered again is answered from the ledger. The types are the contract's
 * {@link CommandType}s: renewal, fetch, and install and patch (both fetch the artifact first and
 * hand it to the {@link Deployer}); any other type is refused with the reason reported.
 * Without a Deployer (a Snake built outside a rack) the two deployment types are refused.
 *
 * <p>Threading: runs on the Snake's command thread, one command at a time; it uses the client the
 * Snake thread publishes and waits while there is none.
 */
final class CommandRunner implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    /** How long the Mixer holds a poll open without commands; below Jetty's 30 s idle timeout. */
    static final long WAIT_MS = 20_000;

    private final Snake snake;
    private final SnakeSettings settings;
    private final Deployer deployer; // null: this rack cannot deploy
    private final ReleaseGate releases;
    private final BundlePreflight preflight; // null: no framework to dry-run against

    CommandRunner(Snake snake, SnakeSettings settings, Deployer deployer, ReleaseGate releases, BundlePreflight preflight) {
        this.snake = snake;
        this.settings = settings;
        this.deployer = deployer;
        this.releases = releases;
        this.preflight = preflight;
    }

    @Override
    public void run() {
        CommandLedger ledger;
        try {
            ledger = new CommandLedger(settings.dir().resolve("commands.log"));
        } catch (IOException e) {
            LOG.error("rack {}: the command ledger cannot be read, commands are not taken: {}", settings.rack(), e.toString());
            return;
        }
        long backoff = 500;
        String lastProblem = null;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                HttpClient http = snake.client();
                if (http == null || !"online".equals(snake.state())) {
                    Thread.sleep(Math.min(settings.heartbeatMillis(), 500));
                    continue;
                }
                for (Command c : poll(http)) {
                    CommandLedger.Result r = ledger.get(c.id());
                    if (r == null) {
                        r = execute(c);
                        ledger.record(c.id(), r);
                        LOG.info("rack {} command {} ({}): {} {}", settings.rack(), LogText.escape(c.id()), LogText.escape(c.type()), r.status(),
                                LogText.escape(r.detail()));
                    } else {
                        LOG.info("rack {} command {} delivered again: already executed, reporting the recorded result",
                                settings.rack(), LogText.escape(c.id()));
                    }
                    report(snake.client() == null ? http : snake.client(), c.id(), r);
                }
                backoff = 500;
                lastProblem = null;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | SnakeException | RuntimeException e) {
                String why = Snake.reason(e);
                if (!why.equals(lastProblem)) {
                    LOG.warn("rack {} command stream: {} (retrying)", settings.rack(), LogText.escape(why));
                    lastProblem = why;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, settings.backoffMaxMillis());
            }
        }
    }

    private List<Command> poll(HttpClient http) throws IOException, InterruptedException, SnakeException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri(SnakeRoute.commandsPoll(WAIT_MS)))
                .timeout(Duration.ofMillis(WAIT_MS + 15_000)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new SnakeException(r.statusCode(), "the Mixer refused the command poll (" + r.statusCode() + "): "
                    + SnakeCodec.json().error(r.body()));
        }
        List<Command> batch = SnakeCodec.json().read(r.body(), CommandBatch.class).commands();
        for (Command c : batch) {
            SnakeCodec.required(c.id(), "commands[].id");
            SnakeCodec.required(c.type(), "commands[].type");
        }
        return batch;
    }

    private CommandLedger.Result execute(Command c) throws InterruptedException {
        CommandType type = CommandType.of(c.type()).orElse(null);
        if (type == null) {
            return new CommandLedger.Result(CommandResult.REFUSED, "unknown command type '" + c.type() + "' (this rack knows "
                    + CommandType.known() + ")");
        }
        try {
            return switch (type) {
                case RENEW_CERTIFICATE -> {
                    SnakeIdentity id = snake.renew();
                    yield new CommandLedger.Result(CommandResult.DONE, "certificate renewed: serial "
                            + id.chain()[0].getSerialNumber().toString(16) + ", valid until " + id.chain()[0].getNotAfter().toInstant());
                }
                case FETCH_ARTIFACT -> new CommandLedger.Result(CommandResult.DONE,
                        new ArtifactFetcher(settings, snake::client).fetch(c.args().get(CommandType.DIGEST)));
                case INSTALL_BUNDLE, APPLY_PATCH, PREFLIGHT_BUNDLE -> deploy(c, type);
                case RESTORE_BUNDLE, RESTORE_PATCH -> restore(c, type);
            };
        } catch (SnakeException | IOException e) {
            return new CommandLedger.Result(CommandResult.FAILED, Snake.reason(e));
        }
    }

    /** Fetches the command's artifact, then installs it or applies it as the patch. */
    private CommandLedger.Result deploy(Command c, CommandType type) throws SnakeException, IOException, InterruptedException {
        if (deployer == null) {
            return new CommandLedger.Result(CommandResult.REFUSED, "this rack cannot deploy (" + c.type()
                    + "): its Snake was started without a deployer");
        }
        String problem = type.argumentProblem(c.args());
        if (problem != null) {
            return new CommandLedger.Result(CommandResult.REFUSED, c.type() + ": " + problem);
        }
        String digest = c.args().get(CommandType.DIGEST);
        String name = c.args().get(CommandType.NAME);
        String label = (name == null || name.isBlank() ? "" : name.strip() + " ") + digest.substring(0, 19) + "..";
        SignedRelease release;
        try {
            release = releases.admit(type, c.args()); // before the download: an unacceptable release costs no transfer
        } catch (ReleaseGate.Refused r) {
            return new CommandLedger.Result(CommandResult.REFUSED, c.type() + " of " + label + ": " + r.getMessage()
                    + "; nothing was installed");
        }
        new ArtifactFetcher(settings, snake::client).fetch(digest); // a failure to fetch: failed, with the reason
        Path artifact = ArtifactFetcher.file(settings, digest);
        try {
            releases.matches(release, artifact);
        } catch (ReleaseGate.Refused r) {
            return new CommandLedger.Result(CommandResult.REFUSED, c.type() + " of " + label + ": " + r.getMessage()
                    + "; nothing was installed");
        }
        if (type == CommandType.PREFLIGHT_BUNDLE || (type == CommandType.INSTALL_BUNDLE && preflight != null)) {
            CommandLedger.Result dryRun = dryRun(label, artifact, release);
            if (type == CommandType.PREFLIGHT_BUNDLE || !CommandResult.DONE.equals(dryRun.status())) {
                return dryRun; // a pre-flight answers here; an install stops here only when the bundle would not resolve
            }
        }
        try {
            DeployOrigin origin = new DeployOrigin(c.args().get(CommandType.ROLLOUT),
                    release == null ? 0 : release.statement().sequence());
            String done = type == CommandType.INSTALL_BUNDLE ? deployer.installBundle(artifact, label, origin)
                    : deployer.applyPatch(artifact, label, signedBy(release), origin);
            releases.installed(release);
            return new CommandLedger.Result(CommandResult.DONE, release == null ? done + " (unsigned: development mode)"
                    : done + " (signed release " + release.statement().name() + " " + release.statement().version()
                            + ", sequence " + release.statement().sequence() + ", key " + release.key() + ")");
        } catch (DeployException e) {
            return new CommandLedger.Result(e.refused() ? CommandResult.REFUSED : CommandResult.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("rack {} command {} ({}): unexpected failure", settings.rack(), LogText.escape(c.id()), LogText.escape(c.type()), e);
            return new CommandLedger.Result(CommandResult.FAILED, c.type() + " of " + label + ": unexpected failure: " + e);
        }
    }

    /** @return what signed a release, as the rack's patch snapshot records it */
    private String signedBy(SignedRelease release) {
        return release == null ? "unsigned (development mode)" : "release " + release.statement().name() + " "
                + release.statement().version() + ", sequence " + release.statement().sequence() + ", key " + release.key();
    }

    /**
     * Undoes an install (the copy the rack kept of what it replaced) or a patch application (the
     * numbered snapshot of the patch it replaced). No release check: nothing is fetched, the rack
     * only returns to bytes it verified and ran before, and its release ledger keeps the undone
     * release's sequence, so that release cannot be replayed afterwards.
     */
    private CommandLedger.Result restore(Command c, CommandType type) throws InterruptedException {
        if (deployer == null) {
            return new CommandLedger.Result(CommandResult.REFUSED, "this rack cannot deploy (" + c.type()
                    + "): its Snake was started without a deployer");
        }
        String problem = type.argumentProblem(c.args());
        if (problem != null) {
            return new CommandLedger.Result(CommandResult.REFUSED, c.type() + ": " + problem);
        }
        String digest = c.args().get(CommandType.DIGEST);
        String name = c.args().get(CommandType.NAME);
        String label = (name == null || name.isBlank() ? "" : name.strip() + " ") + digest.substring(0, 19) + "..";
        try {
            return new CommandLedger.Result(CommandResult.DONE, type == CommandType.RESTORE_PATCH
                    ? deployer.restorePatch(digest, label) : deployer.restoreBundle(digest, label));
        } catch (DeployException e) {
            return new CommandLedger.Result(e.refused() ? CommandResult.REFUSED : CommandResult.FAILED, e.getMessage());
        }
    }

    /**
     * Resolves the bundle against this rack's framework without installing it.
     *
     * @return done when it would resolve, else refused naming the missing requirements (or why
     *         it cannot be checked)
     */
    private CommandLedger.Result dryRun(String label, Path artifact, SignedRelease release) throws IOException {
        if (preflight == null) {
            return new CommandLedger.Result(CommandResult.REFUSED, "preflight-bundle of " + label
                    + ": this rack's Snake runs without a framework to resolve against");
        }
        BundlePreflight.Result r;
        try {
            r = preflight.check(artifact);
        } catch (IllegalArgumentException e) {
            return new CommandLedger.Result(CommandResult.REFUSED, label + " is not an OSGi bundle: " + e.getMessage()
                    + "; nothing was installed");
        }
        String signed = release == null ? (releases.trust().keys().isEmpty() ? " (unsigned: development mode)" : "")
                : " (signature good: " + release.statement().name() + " " + release.statement().version() + ", sequence "
                        + release.statement().sequence() + ")";
        if (r.resolves()) {
            return new CommandLedger.Result(CommandResult.DONE, "preflight: " + r.bundle() + " resolves on this rack" + signed
                    + "; nothing was installed");
        }
        return new CommandLedger.Result(CommandResult.REFUSED, "preflight: " + r.bundle() + " would not resolve on this rack, "
                + r.missing().size() + " requirement(s) missing; nothing was installed\n" + String.join("\n", r.missing()));
    }

    private void report(HttpClient http, String id, CommandLedger.Result r) throws IOException, InterruptedException, SnakeException {
        HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(uri(SnakeRoute.COMMAND_RESULT.path()))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SnakeCodec.json().write(r.message(id))))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new SnakeException(resp.statusCode(), "the Mixer refused the result of command " + id + " ("
                    + resp.statusCode() + "): " + SnakeCodec.json().error(resp.body()));
        }
    }

    private URI uri(String path) {
        return URI.create("https://" + settings.mixer() + path);
    }
}
