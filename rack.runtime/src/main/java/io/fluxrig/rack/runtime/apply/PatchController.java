package io.fluxrig.rack.runtime.apply;

import io.fluxrig.rack.runtime.catalog.GearTypeInfo;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.rack.runtime.patch.PatchValidator;
import io.fluxrig.rack.runtime.patch.PatchVariables;
import io.fluxrig.rack.runtime.patch.Validation;
import io.fluxrig.snake.api.LogText;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what to do with the patch file's content on each poll: nothing when it is unchanged,
 * apply it when it is valid, hold it back while unknown gear types may still be installing (the
 * start grace), refuse it as a whole otherwise (the running flow stays as it was; every problem
 * is logged and kept for the consoles). A refused patch is tried again when its content or the
 * set of known gear types changes.
 *
 * <p>Threading: {@link #offer} runs on the patch loop thread only; {@link #status()} may be
 * called from any thread. Both are synchronized (offer is short apart from the deploy).
 */
final class PatchController {
    /** Applies a valid patch (routing first, then ConfigAdmin). */
    interface Deployer {
        void deploy(Patch running, Validation next) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PatchController.class);

    private final String file;
    private final PatchVariables vars;
    private final Supplier<Map<String, GearTypeInfo>> catalog;
    private final Deployer deployer;
    private final LongSupplier clockMillis;
    private final long graceEnd;
    private final CompletableFuture<Patch> firstOutcome = new CompletableFuture<>();
    private String seen;
    private Set<String> typesAtRefusal = Set.of();
    private Patch applied = Patch.EMPTY;
    private Instant appliedAt;
    private List<String> refusal = List.of();
    private Instant refusedAt;
    private boolean waiting;
    private String appliedDigest;
    private String refusedDigest;

    PatchController(String file, Supplier<Map<String, GearTypeInfo>> catalog, Deployer deployer, long graceMillis,
            LongSupplier clockMillis) {
        this(file, PatchVariables.NONE, catalog, deployer, graceMillis, clockMillis);
    }

    /** @param vars the patch variables of this rack ({@code ${rack}}) */
    PatchController(String file, PatchVariables vars, Supplier<Map<String, GearTypeInfo>> catalog, Deployer deployer,
            long graceMillis, LongSupplier clockMillis) {
        this.file = file;
        this.vars = vars;
        this.catalog = catalog;
        this.deployer = deployer;
        this.clockMillis = clockMillis;
        this.graceEnd = clockMillis.getAsLong() + graceMillis;
    }

    /** @return completes with the running patch once the first patch was applied or refused */
    CompletableFuture<Patch> firstOutcome() {
        return firstOutcome;
    }

    /** @param content the patch file's content now, or null when it cannot be read */
    synchronized void offer(String content) {
        String text = content == null ? "" : content;
        boolean changed = !text.equals(seen);
        if (!changed && !waiting && refusal.isEmpty()) {
            return;
        }
        Map<String, GearTypeInfo> types = catalog.get();
        if (!changed && !waiting && types.keySet().equals(typesAtRefusal)) {
            return;
        }
        seen = text;
        Validation v = content == null
                ? new Validation(Patch.EMPTY, List.of("patch file " + file + " cannot be read"), Map.of())
                : PatchValidator.validate(text, types, vars);
        boolean inGrace = !firstOutcome.isDone() && clockMillis.getAsLong() < graceEnd;
        if (!v.ok() && inGrace && (v.unknownTypes() || content == null)) {
            if (!waiting) {
                LOG.info("patch {}: waiting up to the start grace for gear types to install: {}", file,
                        LogText.escape(String.valueOf(v.problems())));
            }
            waiting = true;
            return;
        }
        waiting = false;
        if (!v.ok()) {
            refuse(v.problems(), types, content == null ? null : PatchDigest.of(text));
            return;
        }
        try {
            deployer.deploy(applied, v);
        } catch (Exception e) {
            refuse(List.of("applying the patch failed: " + e), types, PatchDigest.of(text));
            return;
        }
        applied = v.patch();
        appliedAt = Instant.ofEpochMilli(clockMillis.getAsLong());
        appliedDigest = PatchDigest.of(text);
        refusal = List.of();
        refusedAt = null;
        refusedDigest = null;
        firstOutcome.complete(applied);
    }

    /** @param digest of the refused text, null when the file could not be read */
    private void refuse(List<String> problems, Map<String, GearTypeInfo> types, String digest) {
        refusal = problems;
        refusedAt = Instant.ofEpochMilli(clockMillis.getAsLong());
        refusedDigest = digest;
        typesAtRefusal = Set.copyOf(types.keySet());
        // One problem per line; each escaped, since it quotes the (user-written) patch text.
        LOG.error("patch {} refused, the running flow is unchanged ({} problem(s)):\n  {}", file, problems.size(),
                String.join("\n  ", problems.stream().map(LogText::escape).toList()));
        firstOutcome.complete(applied);
    }

    synchronized PatchStatus status() {
        return new PatchStatus(file, applied, appliedAt, refusal, refusedAt, waiting, appliedDigest, refusedDigest);
    }
}
