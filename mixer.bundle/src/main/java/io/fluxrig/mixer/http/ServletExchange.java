package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fluxrig.snake.api.ErrorReply;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * The servlet counterparts of {@link Exchange} for the operator API on Felix HTTP: bounded JSON
 * bodies in, JSON out, the same limits and the same reasons. Used on Felix HTTP's request
 * threads; holds no state.
 */
final class ServletExchange {
    private ServletExchange() {
    }

    /** Reads the body as a JSON object; blocking, on a request thread (bodies are small and bounded). */
    static ObjectNode jsonBody(HttpServletRequest request, ObjectMapper json) throws Exchange.Refused, IOException {
        if (request.getContentLengthLong() > Exchange.MAX_BODY) {
            throw new Exchange.Refused(413, "body larger than " + Exchange.MAX_BODY + " bytes");
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(Exchange.MAX_BODY + 1);
        }
        if (body.length > Exchange.MAX_BODY) {
            throw new Exchange.Refused(413, "body larger than " + Exchange.MAX_BODY + " bytes");
        }
        JsonNode n;
        try {
            n = json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Exchange.Refused(400, "malformed JSON body: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new Exchange.Refused(400, "the body must be a JSON object");
        }
        return (ObjectNode) n;
    }

    static void reply(HttpServletResponse response, ObjectMapper json, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void error(HttpServletResponse response, ObjectMapper json, int status, String reason) throws IOException {
        reply(response, json, status, new ErrorReply(reason));
    }
}
