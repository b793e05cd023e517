package io.fluxrig.mixer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxrig.snake.api.ErrorReply;
import io.fluxrig.snake.api.SnakeCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Request/response helpers for the Jetty core handlers: bounded JSON bodies in, JSON out. Used
 * on Jetty's request threads; holds no state.
 */
final class Exchange {
    /** Largest request body accepted (an inventory with all capabilities fits many times). */
    static final int MAX_BODY = 4 * 1024 * 1024;

    private Exchange() {
    }

    /** A request the handler refuses: status and a reason sent as {@code {"error": reason}}. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String reason) {
            super(reason);
            this.status = status;
        }
    }

    /**
     * Reads the body as one of the contract's messages; blocking, on a Jetty thread (bodies are
     * small and bounded).
     *
     * @throws Refused 413 when too large, 400 naming the field when it is not the message
     */
    static <T> T body(Request request, Class<T> type) throws Refused {
        return body(request, type, MAX_BODY);
    }

    /**
     * Reads the body as one of the contract's messages, at most {@code max} bytes; blocking, on a
     * Jetty thread (only for authenticated routes: a rack's own requests).
     *
     * @throws Refused 413 when larger than {@code max} (by Content-Length before reading, or while
     *         reading), 408 when the body did not arrive (idle timeout, reset), 400 naming the field
     *         when it is not the message
     */
    static <T> T body(Request request, Class<T> type, int max) throws Refused {
        refuseDeclaredLength(request, max);
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(max + 1);
        } catch (IOException e) {
            // The client's side (an idle timeout, a reset stream), not the registry's: say which.
            throw new Refused(408, "the request body was not received: " + e.getMessage());
        }
        if (body.length > max) {
            throw new Refused(413, "body larger than " + max + " bytes");
        }
        return parse(body, type);
    }

    /** @throws Refused 413 when the request announces a body longer than {@code max} bytes */
    static void refuseDeclaredLength(Request request, int max) throws Refused {
        long declared = request.getLength();
        if (declared > max) {
            throw new Refused(413, "body of " + declared + " bytes is larger than this route's limit of " + max + " bytes");
        }
    }

    /** @throws Refused 400 naming the field when {@code body} is not the message */
    static <T> T parse(byte[] body, Class<T> type) throws Refused {
        try {
            return SnakeCodec.json().read(body, type);
        } catch (SnakeCodec.DecodeException e) {
            throw new Refused(400, e.getMessage());
        }
    }

    /** @return the value @throws Refused 400 {@code missing field 'x'} when it is null */
    static <V> V required(V value, String field) throws Refused {
        if (value == null) {
            throw new Refused(400, "missing field '" + field + "'");
        }
        return value;
    }

    /**
     * @param map a decoded object of strings, or null when the field was absent
     * @param field the field's name
     * @return its entries in order, empty when absent
     * @throws Refused 400 {@code field 'x.k' must be a string} for an entry that is JSON null (the
     *         codec refuses every other non-string)
     */
    static Map<String, String> strings(Map<String, String> map, String field) throws Refused {
        if (map == null) {
            return new LinkedHashMap<>();
        }
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getValue() == null) {
                throw new Refused(400, "field '" + field + "." + e.getKey() + "' must be a string");
            }
        }
        return new LinkedHashMap<>(map);
    }

    static void reply(Response response, Callback callback, ObjectMapper json, int status, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static void error(Response response, Callback callback, ObjectMapper json, int status, String reason) {
        reply(response, callback, json, status, new ErrorReply(reason));
    }
}
