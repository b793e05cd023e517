package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.mixer.rollout.Rollouts;
import io.fluxrig.snake.api.rollout.Rollout;
import io.fluxrig.snake.api.rollout.RolloutPaths;
import io.fluxrig.snake.api.rollout.RolloutRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * The operator API's rollout routes ({@link RolloutPaths}), a servlet of its own under
 * {@code /api/rollouts/*} beside {@link ApiHandler} (the longer pattern wins), sharing its request
 * handling ({@link OperatorServlet}: the bearer token first, refusals and failures as JSON). Runs
 * on Felix HTTP's request threads; {@link Rollouts} is thread-safe.
 */
public final class RolloutServlet extends OperatorServlet {
    private static final long serialVersionUID = 1L;
    private static final Set<String> ACTIONS = Set.of(RolloutPaths.PAUSE, RolloutPaths.RESUME, RolloutPaths.ABORT,
            Rollout.ROLLBACK);

    private final transient Rollouts rollouts;

    /** @param operator the bearer token verifier @param rollouts the rollouts @param json the Mixer's mapper */
    public RolloutServlet(OperatorToken operator, Rollouts rollouts, ObjectMapper json) {
        super(operator, json);
        this.rollouts = rollouts;
    }

    @Override
    boolean route(String method, String path, String[] parts, HttpServletRequest request, HttpServletResponse response)
            throws Exchange.Refused, IOException {
        // parts: "", "api", "rollouts", id, action
        if (RolloutPaths.ROLLOUTS.equals(path) && "POST".equals(method)) {
            ServletExchange.reply(response, json, 201, create(ServletExchange.body(request, RolloutRequest.class)));
        } else if (RolloutPaths.ROLLOUTS.equals(path) && "GET".equals(method)) {
            ServletExchange.reply(response, json, 200, rollouts.list());
        } else if (parts.length == 4 && "GET".equals(method)) {
            ServletExchange.reply(response, json, 200, rollouts.get(parts[3]).map(r -> r.withTraces(rollouts.traces(r)))
                    .orElseThrow(() -> new Exchange.Refused(404, "no rollout '" + parts[3] + "'")));
        } else if (parts.length == 5 && ACTIONS.contains(parts[4]) && "POST".equals(method)) {
            try {
                ServletExchange.reply(response, json, 200, rollouts.control(parts[3], parts[4])
                        .orElseThrow(() -> new Exchange.Refused(404, "no rollout '" + parts[3] + "'")));
            } catch (IllegalStateException e) {
                throw new Exchange.Refused(409, e.getMessage());
            }
        } else {
            return false;
        }
        return true;
    }

    private Object create(RolloutRequest body) throws Exchange.Refused, IOException {
        try {
            return rollouts.create(body);
        } catch (IllegalArgumentException e) {
            throw new Exchange.Refused(400, e.getMessage());
        }
    }
}
