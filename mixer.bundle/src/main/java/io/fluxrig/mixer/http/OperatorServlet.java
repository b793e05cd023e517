package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.snake.api.LogText;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request handling every operator API servlet shares ({@link ApiHandler} under {@code /api/*},
 * {@link RolloutServlet} under {@code /api/rollouts/*}): the operator bearer token is checked
 * before anything else is read (401 with {@code WWW-Authenticate}), then the subclass routes the
 * full path; a {@link Exchange.Refused} becomes its status with the reason as JSON, a NATS or
 * store failure a logged 503, and a path no route takes a 404 naming it. Runs on Felix HTTP's
 * request threads; subclasses keep their state in thread-safe stores.
 */
abstract class OperatorServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OperatorServlet.class);

    /** The bearer token verifier (the API also rotates it). */
    protected final transient OperatorToken operator;
    /** The Mixer's mapper, for replies. */
    protected final transient ObjectMapper json;

    OperatorServlet(OperatorToken operator, ObjectMapper json) {
        this.operator = operator;
        this.json = json;
    }

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!operator.accepts(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"fluxrig mixer\"");
            ServletExchange.error(response, json, 401, "a valid operator bearer token is required");
            return;
        }
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String method = request.getMethod();
        try {
            if (!route(method, path, path.split("/"), request, response)) {
                ServletExchange.error(response, json, 404, "no such endpoint: " + method + " " + path);
            }
        } catch (Exchange.Refused r) {
            ServletExchange.error(response, json, r.status, r.getMessage());
        } catch (IOException e) {
            LOG.warn("operator API {} {} failed: {}", method, LogText.escape(path), LogText.escape(e.toString()));
            ServletExchange.error(response, json, 503, "the Mixer could not complete the request: " + e.getMessage());
        }
    }

    /**
     * Answers an authenticated request.
     *
     * @param method the HTTP method
     * @param path the full path, e.g. {@code /api/rollouts/ab12}
     * @param parts the path split at '/' ({@code "", "api", ...})
     * @return false when no route takes the path (answered 404)
     * @throws Exchange.Refused answered with its status and reason
     * @throws IOException when the store fails (answered 503)
     */
    abstract boolean route(String method, String path, String[] parts, HttpServletRequest request, HttpServletResponse response)
            throws Exchange.Refused, IOException;
}
