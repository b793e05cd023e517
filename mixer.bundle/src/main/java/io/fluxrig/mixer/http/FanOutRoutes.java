package io.fluxrig.mixer.http;

import io.fluxrig.mixer.rollout.FanOuts;
import io.fluxrig.snake.api.fanout.FanOut;
import io.fluxrig.snake.api.fanout.FanOutPaths;
import io.fluxrig.snake.api.fanout.FanOutRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;

/**
 * The operator API's fan-out routes ({@link FanOutPaths}): {@code POST /api/fanouts} and
 * {@code GET /api/fanouts/{id}?state=S[,S]}. The command's arguments are checked as for one rack
 * ({@link CommandArgsCheck}) before anything is queued. Called on Felix HTTP's request threads
 * after the bearer token was checked; {@link FanOuts} is thread-safe.
 */
final class FanOutRoutes {
    private final FanOuts fanOuts;
    private final CommandArgsCheck argsCheck;

    FanOutRoutes(FanOuts fanOuts, CommandArgsCheck argsCheck) {
        this.fanOuts = fanOuts;
        this.argsCheck = argsCheck;
    }

    /** @return the answer, or null when the path is not a fan-out route */
    CommandRoutes.Answer route(String method, String path, HttpServletRequest request) throws Exchange.Refused, IOException {
        String[] parts = path.split("/"); // "", "api", "fanouts", id
        if (FanOutPaths.FANOUTS.equals(path) && "POST".equals(method)) {
            FanOutRequest q = ServletExchange.body(request, FanOutRequest.class);
            if (q == null) {
                throw new Exchange.Refused(400, "body: a fan-out needs {selector, type, args}");
            }
            argsCheck.check(Exchange.required(q.type(), "type"), Exchange.strings(q.args(), "args"));
            Exchange.required(q.selector(), "selector");
            try {
                return new CommandRoutes.Answer(201, fanOuts.create(q));
            } catch (IllegalArgumentException e) {
                throw new Exchange.Refused(400, e.getMessage());
            }
        } else if (parts.length == 4 && path.startsWith(FanOutPaths.FANOUTS + "/") && "GET".equals(method)) {
            return new CommandRoutes.Answer(200, fanOuts.get(parts[3], states(request.getParameter(FanOutPaths.STATE)))
                    .orElseThrow(() -> new Exchange.Refused(404, "no fan-out '" + parts[3] + "'")));
        }
        return null;
    }

    private static List<String> states(String text) throws Exchange.Refused {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> out = List.of(text.split(","));
        for (String s : out) {
            if (!FanOut.STATES.contains(s)) {
                throw new Exchange.Refused(400, "query 'state': '" + s + "' must be one of " + String.join(", ", FanOut.STATES));
            }
        }
        return out;
    }
}
