package io.fluxrig.mixer.console;

import io.fluxrig.console.plugin.WebConsolePlugin;
import io.fluxrig.mixer.artifact.Artifacts;
import io.fluxrig.mixer.rollout.Rollouts;
import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.RolloutPaths;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.owasp.encoder.Encode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console page {@code /system/console/rollouts} ("Rollouts", category fluxrig): every
 * rollout with its waves and each rack's state (see {@link RolloutsPage}), a form that starts a
 * rollout from an uploaded release (the file and its {@code .sig}, see {@link RolloutStartForm}),
 * and pause, resume, rollback and abort buttons per rollout; the page's script polls
 * {@code rollouts/data.json} every 2 s and updates the states, waves, reasons, buttons and rack rows
 * in place (no reload). It exists while the Mixer runs: the
 * {@link Rollouts} and {@link Artifacts} services it needs are registered by the Mixer once its
 * NATS store is connected.
 *
 * <p>Every change goes through the code the operator API runs: the upload through
 * {@link Artifacts#store} (as {@code POST /api/artifacts}, under the same size cap), the start
 * through {@link Rollouts#create} (as {@code POST /api/rollouts}), the buttons through
 * {@link Rollouts#control} (as {@code POST /api/rollouts/ID/ACTION}). A POST is answered with a
 * redirect to the page showing that rollout, or with 400/404/409 and the reason. Web Console 5
 * checks the console credentials first, and console.guard's same-origin filter refuses a POST
 * from a page of another origin before it gets here. Stateless, thread-safe; the rollouts are
 * read from NATS on the request thread.
 */
@Component(service = Servlet.class)
@WebConsolePlugin(label = "rollouts", title = "Rollouts", category = "fluxrig")
public final class RolloutsConsolePlugin extends MixerConsolePage {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RolloutsConsolePlugin.class);
    /** The form field naming what a POST does: {@value #START}, or one of {@link #CONTROLS}. */
    static final String ACTION = "action";
    static final String START = "start";
    /** The field naming the rollout a control applies to. */
    static final String ROLLOUT = "rollout";
    static final Set<String> CONTROLS = Set.of(RolloutPaths.PAUSE, RolloutPaths.RESUME, RolloutPaths.ABORT, Rollout.ROLLBACK);

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final transient Rollouts rollouts;
    private final transient Artifacts artifacts;
    private final long artifactMaxBytes;

    /**
     * @param rollouts the Mixer's rollouts
     * @param artifacts the Mixer's artifact store, with its size cap in the service property
     *        {@value Artifacts#MAX_BYTES}
     */
    @Activate
    public RolloutsConsolePlugin(@Reference Rollouts rollouts,
            @Reference(service = Artifacts.class) Map.Entry<Map<String, Object>, Artifacts> artifacts) {
        super("rollouts", "the rollouts");
        this.rollouts = rollouts;
        this.artifacts = artifacts.getValue();
        this.artifactMaxBytes = artifacts.getKey().get(Artifacts.MAX_BYTES) instanceof Long max ? max : 0;
    }

    @Override
    String render(HttpServletRequest req) throws IOException {
        String focus = req.getParameter(ROLLOUT);
        Optional<Rollout> shown = focus == null ? Optional.empty() : rollouts.get(focus);
        return RolloutsPage.render(rollouts.list(), System.currentTimeMillis(), shown.map(Rollout::id).orElse(null), rollouts::traces);
    }

    /** What the page's script polls: every rollout's state, wave, reason, controls and racks ({@link RolloutsPage#data}). */
    @Override
    byte[] data(HttpServletRequest req) throws IOException {
        return JSON.writeValueAsBytes(RolloutsPage.data(rollouts.list(), System.currentTimeMillis()));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        String action = null;
        try {
            action = field(req, ACTION);
            Rollout r;
            if (START.equals(action)) {
                r = start(req);
                LOG.info("Rollouts page: rollout {} started to '{}'", r.id(), r.request().selector());
            } else if (action != null && CONTROLS.contains(action)) {
                String id = field(req, ROLLOUT);
                r = rollouts.control(id, action).orElse(null);
                if (r == null) {
                    refuse(resp, 404, "no rollout '" + id + "'");
                    return;
                }
                LOG.info("Rollouts page: rollout {} {}: {}", r.id(), action, r.reason());
            } else {
                throw new Refused(ACTION + ": '" + action + "' must be " + START + ", pause, resume, rollback or abort");
            }
            resp.setStatus(303); // see the page again with GET: a reload does not repeat the POST
            resp.setHeader("Location", "rollouts?" + ROLLOUT + "=" + r.id() + "#rollout-" + r.id());
        } catch (Refused | IllegalArgumentException e) {
            refuse(resp, 400, e.getMessage());
        } catch (IllegalStateException e) {
            refuse(resp, 409, e.getMessage());
        } catch (IOException e) {
            LOG.warn("Rollouts page: {} failed: {}", action, e.toString());
            refuse(resp, 503, "the Mixer could not store the change (NATS or its artifact folder): " + e.getMessage());
        }
    }

    /** Stores the uploaded release as {@code POST /api/artifacts} does, then creates the rollout. */
    private Rollout start(HttpServletRequest req) throws Refused, IOException, ServletException {
        Part file = part(req, RolloutStartForm.FILE);
        if (file == null || file.getSize() == 0) {
            throw new Refused(RolloutStartForm.FILE + ": choose the file to roll out");
        }
        if (file.getSize() > artifactMaxBytes) {
            throw new Refused(RolloutStartForm.FILE + ": " + file.getSize() + " bytes is more than the Mixer stores ("
                    + artifactMaxBytes + " bytes, configuration fluxrig.mixer artifact.max.mb)");
        }
        Part sig = part(req, RolloutStartForm.SIGNATURE);
        byte[] signature = new byte[0];
        if (sig != null && sig.getSize() > 0) {
            if (sig.getSize() > RolloutStartForm.SIGNATURE_MAX) {
                throw new Refused(RolloutStartForm.SIGNATURE + ": larger than " + RolloutStartForm.SIGNATURE_MAX
                        + " bytes: not a release signature");
            }
            try (InputStream in = sig.getInputStream()) {
                signature = in.readAllBytes();
            }
        }
        Artifacts.Stored stored;
        try (InputStream in = file.getInputStream()) {
            stored = artifacts.store(in);
        }
        LOG.info("artifact {} ({} bytes) {} from the Rollouts page", stored.digest(), stored.size(),
                stored.created() ? "stored" : "was stored already");
        List<io.fluxrig.snake.api.rollout.RolloutStep> steps = RolloutStartForm.steps(field(req, RolloutStartForm.KIND),
                file.getSubmittedFileName(), stored.digest(), signature);
        Map<String, String> fields = new java.util.HashMap<>();
        for (String name : List.of(RolloutStartForm.SELECTOR, RolloutStartForm.WAVES, RolloutStartForm.SOAK,
                RolloutStartForm.MAX_FAILURES, RolloutStartForm.ON_FAILURE, RolloutStartForm.DEADLINE, RolloutStartForm.INCLUDE_NEW)) {
            fields.put(name, field(req, name));
        }
        return rollouts.create(RolloutStartForm.request(fields::get, steps));
    }

    /** @return a form field, from the query or url-encoded body, or a multipart body's text part */
    private static String field(HttpServletRequest req, String name) throws Refused, IOException {
        String v = req.getParameter(name);
        if (v != null) {
            return v;
        }
        Part p = part(req, name);
        if (p == null || p.getSubmittedFileName() != null || p.getSize() > 4096) {
            return null;
        }
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Part part(HttpServletRequest req, String name) throws Refused, IOException {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        try {
            return req.getPart(name);
        } catch (ServletException | IllegalStateException e) {
            throw new Refused("the form could not be read: " + e.getMessage());
        }
    }

    /** A POST's answer is not framed by the Web Console: a small page of its own with the reason and the way back. */
    private void refuse(HttpServletResponse resp, int status, String reason) throws IOException {
        resp.setStatus(status);
        html(resp).print("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Rollouts: refused</title></head><body>"
                + error(reason) + "<p><a id=\"fluxrig-rollouts-back\" href=\"rollouts\">Back to Rollouts</a></p></body></html>");
    }
}
