package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
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

    /**
     * Reads the body as one of the contract's messages with its codec ({@link Exchange#parse});
     * blocking, on a request thread (bodies are small and bounded).
     *
     * @throws Exchange.Refused 413 when too large, 400 naming the field and offset when it is not the message
     */
    static <T> T body(HttpServletRequest request, Class<T> type) throws Exchange.Refused, IOException {
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
        return Exchange.parse(body, type);
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
