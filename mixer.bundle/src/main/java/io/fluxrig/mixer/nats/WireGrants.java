package io.fluxrig.mixer.nats;

import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.mixer.command.CommandHook;
import io.fluxrig.mixer.command.CommandRecord;
import io.fluxrig.nats.trust.WireGrant;
import io.fluxrig.snake.api.CommandType;
import io.fluxrig.snake.api.LogText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each rack's NATS permissions to the wires of the patches the Mixer deploys to it. When an
 * {@code apply-patch} is queued, the rack may use the wires of its current grant and of the new
 * patch (the running patch keeps working until the new one replaces it); once the rack reports the
 * patch {@code done}, only that patch's wires (and those of patches still queued). Each change
 * makes {@link io.fluxrig.mixer.command.Commands} queue a {@code renew-certificate}: the rack's
 * renewed credential carries the new permissions, and {@link NatsIssuer#retireOlderKeys} makes
 * its connections switch to it as soon as it uses its new certificate.
 *
 * <p>A patch the Mixer cannot read (not stored, not YAML, a link it cannot parse) changes
 * nothing: the rack refuses such a patch too. Thread-safe (state in the KV bucket, see
 * {@link NatsIssuer}).
 */
public final class WireGrants implements CommandHook {
    private static final Logger LOG = LoggerFactory.getLogger(WireGrants.class);
    private static final String APPLY_PATCH = CommandType.APPLY_PATCH.wire();

    private final NatsIssuer issuer;
    private final Artifacts artifacts;

    public WireGrants(NatsIssuer issuer, Artifacts artifacts) {
        this.issuer = issuer;
        this.artifacts = artifacts;
    }

    @Override
    public boolean queuing(String rack, String type, Map<String, String> args) throws IOException {
        if (!APPLY_PATCH.equals(type)) {
            return false;
        }
        Optional<WireGrant> patch = wires(rack, args);
        return patch.isPresent() && issuer.grant(rack, current -> current.union(patch.get()));
    }

    @Override
    public boolean finished(CommandRecord command, List<CommandRecord> pending) {
        if (!APPLY_PATCH.equals(command.type()) || !CommandRecord.DONE.equals(command.state())) {
            return false;
        }
        Optional<WireGrant> patch = wires(command.rack(), command.args());
        if (patch.isEmpty()) {
            return false;
        }
        WireGrant grant = patch.get();
        for (CommandRecord p : pending) {
            if (APPLY_PATCH.equals(p.type())) {
                grant = grant.union(wires(p.rack(), p.args()).orElse(WireGrant.NONE));
            }
        }
        WireGrant applied = grant;
        try {
            return issuer.grant(command.rack(), current -> applied);
        } catch (IOException e) {
            LOG.warn("rack {}: its NATS wires could not be narrowed to its applied patch ({}); it keeps the wider grant",
                    LogText.escape(command.rack()), e.getMessage());
            return false;
        }
    }

    /** @return the wires of the command's patch, or empty when the Mixer cannot read it */
    private Optional<WireGrant> wires(String rack, Map<String, String> args) {
        String digest = args.get(CommandType.DIGEST);
        if (digest == null || !digest.startsWith("sha256:")) {
            return Optional.empty();
        }
        Optional<Path> file = artifacts.file(digest.substring("sha256:".length()));
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PatchWires.of(rack, Files.readAllBytes(file.get())));
        } catch (IllegalArgumentException | IOException e) {
            LOG.warn("rack {}: patch {} names no wires the Mixer can read ({}); its NATS wires stay as they are",
                    LogText.escape(rack), LogText.escape(digest), LogText.escape(e.getMessage()));
            return Optional.empty();
        }
    }
}
