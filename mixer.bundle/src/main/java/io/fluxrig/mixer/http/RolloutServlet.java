package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.rollout.Rollouts;
import io.fluxrig.snake.api.LogText;
import io.fluxrig.snake.api.rollout.RolloutPaths;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API's rollout routes ({@link RolloutPaths}), a servlet of its own under
 * {@code /api/rollouts/*} beside {@link ApiHandler} (the longer pattern wins), with the same
 * bearer token checked first. Runs on Felix HTTP's request threads; {@link Rollouts} is thread-safe.
 */
public final class RolloutServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RolloutServlet.class);
    private static final Set<String> ACTIONS = Set.of(RolloutPaths.PAUSE, RolloutPaths.RESUME, RolloutPaths.ABORT);

    private final transient OperatorToken operator;
    private final transient Rollouts rollouts;
    private final transient ObjectMapper json;

    /** @param operator the bearer token verifier @param rollouts the rollouts @param json the Mixer's mapper */
    public RolloutServlet(OperatorToken operator, Rollouts rollouts, ObjectMapper json) {
        this.operator = operator;
        this.rollouts = rollouts;
        this.json = json;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!operator.accepts(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"fluxrig mixer\"");
            ServletExchange.error(response, json, 401, "a valid operator bearer token is required");
            return;
        }
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String method = request.getMethod();
        String[] parts = path.split("/"); // "", "api", "rollouts", id, action
        try {
            if (RolloutPaths.ROLLOUTS.equals(path) && "POST".equals(method)) {
                ServletExchange.reply(response, json, 201, create(ServletExchange.body(request, RolloutRequest.class)));
            } else if (RolloutPaths.ROLLOUTS.equals(path) && "GET".equals(method)) {
                ServletExchange.reply(response, json, 200, rollouts.list());
            } else if (parts.length == 4 && "GET".equals(method)) {
                ServletExchange.reply(response, json, 200, rollouts.get(parts[3])
                        .orElseThrow(() -> new Exchange.Refused(404, "no rollout '" + parts[3] + "'")));
            } else if (parts.length == 5 && ACTIONS.contains(parts[4]) && "POST".equals(method)) {
                try {
                    ServletExchange.reply(response, json, 200, rollouts.control(parts[3], parts[4])
                            .orElseThrow(() -> new Exchange.Refused(404, "no rollout '" + parts[3] + "'")));
                } catch (IllegalStateException e) {
                    throw new Exchange.Refused(409, e.getMessage());
                }
            } else {
                ServletExchange.error(response, json, 404, "no such endpoint: " + method + " " + path);
            }
        } catch (Exchange.Refused r) {
            ServletExchange.error(response, json, r.status, r.getMessage());
        } catch (IOException e) {
            LOG.warn("operator API {} {} failed: {}", method, LogText.escape(path), LogText.escape(e.toString()));
            ServletExchange.error(response, json, 503, "the Mixer could not complete the request: " + e.getMessage());
        }
    }

    private Object create(RolloutRequest body) throws Exchange.Refused, IOException {
        try {
            return rollouts.create(body);
        } catch (IllegalArgumentException e) {
            throw new Exchange.Refused(400, e.getMessage());
        }
    }
}
