package io.fluxrig.mixer.http;

import io.fluxrig.snake.api.LogText;
import io.fluxrig.snake.api.LogThrottle;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The Snake's guard for requests without a client certificate ({@code GET /ca}, {@code POST
 * /enrol}). Two layers in front of the Snake's handler:
 * <ol>
 * <li>per source address: at most {@link SnakeLimits#unauthenticatedPerSource()} at once, more
 * are answered {@code 429} with the reason at once (Jetty has no per-address request limit; its
 * {@code ThreadLimitHandler} queues rather than refuses and would also hold back a rack's
 * heartbeats from the same address);</li>
 * <li>in total: Jetty's {@link QoSHandler}, applied to unauthenticated requests only, lets
 * {@link SnakeLimits#unauthenticatedTotal()} run, suspends more (no thread held) for up to
 * {@link SnakeLimits#UNAUTHENTICATED_WAIT}, and answers {@code 503} with the reason after.</li>
 * </ol>
 * Requests with a client certificate pass straight through: they are authenticated by the handler
 * and never wait behind enrolments. Each refusal is logged at WARN with its source address, at
 * most one line per second (the line counts the refusals left out). Thread-safe: the per-address counters are a concurrent map,
 * an entry removed when its count returns to zero.
 */
final class UnauthenticatedLimit extends Handler.Wrapper {
    private static final Predicate<Request> UNAUTHENTICATED = r -> !authenticated(r);
    private static final Logger LOG = LoggerFactory.getLogger(UnauthenticatedLimit.class);

    private final int perSource;
    private final ObjectMapper json;
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /**
     * @param limits the caps
     * @param json writes the refusals
     * @param next the Snake's handler
     * @return the guard wrapping {@code next}
     */
    static Handler around(SnakeLimits limits, ObjectMapper json, Handler next) {
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(1));
        SnakeObserver observer = next instanceof SnakeHandler s ? s.observer() : SnakeObserver.NONE;
        QoSHandler total = new QoSHandler(next) {
            /**
             * Jetty calls this for a suspended request that waited too long (503, a TimeoutException),
             * and for one resumed whose handler then returned false (404) or threw (500): each is
             * answered with its own reason.
             */
            @Override
            protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable x) {
                String reason;
                if (status == 503 && (x == null || x instanceof java.util.concurrent.TimeoutException)) {
                    long skipped = throttle.admit();
                    if (skipped >= 0) {
                        LOG.warn("Snake: request without a client certificate from {} refused: more than {} at once from all addresses{}",
                                Request.getRemoteAddr(request), getMaxRequestCount(), LogThrottle.more(skipped));
                    }
                    reason = "too many enrolment requests at once (the Snake serves " + getMaxRequestCount()
                            + " without a client certificate at a time): retry later";
                } else if (status == 404) {
                    reason = "no such endpoint: " + request.getMethod() + " " + LogText.escape(Request.getPathInContext(request));
                } else {
                    SnakeHandler.Failure f = SnakeHandler.Failure.of(x == null ? new IllegalStateException("status " + status) : x);
                    status = f.status();
                    reason = f.reason();
                    LOG.warn("Snake: request {} {} from {} answered {}: {}", request.getMethod(),
                            LogText.escape(Request.getPathInContext(request)), Request.getRemoteAddr(request), status,
                            LogText.escape(reason), x);
                }
                observer.refused(ROUTE, status);
                Exchange.error(response, callback, json, status, reason);
            }
        };
        total.setMaxRequestCount(limits.unauthenticatedTotal());
        total.setMaxSuspendedRequestCount(limits.unauthenticatedTotal() * 4);
        total.setMaxSuspend(SnakeLimits.UNAUTHENTICATED_WAIT);
        total.include(UNAUTHENTICATED);
        return new UnauthenticatedLimit(limits.unauthenticatedPerSource(), json, total, throttle, observer);
    }

    /** The route name refusals of this guard are counted under. */
    static final String ROUTE = "UNAUTHENTICATED";
    private final LogThrottle throttle;
    private final SnakeObserver observer;

    private UnauthenticatedLimit(int perSource, ObjectMapper json, Handler next, LogThrottle throttle, SnakeObserver observer) {
        super(next);
        this.perSource = perSource;
        this.json = json;
        this.throttle = throttle;
        this.observer = observer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (authenticated(request)) {
            return super.handle(request, response, callback);
        }
        String source = Request.getRemoteAddr(request);
        AtomicInteger count = inFlight.compute(source, (k, v) -> {
            AtomicInteger c = v == null ? new AtomicInteger() : v;
            c.incrementAndGet();
            return c;
        });
        if (count.get() > perSource) {
            release(source);
            long skipped = throttle.admit();
            if (skipped >= 0) {
                LOG.warn("Snake: request without a client certificate from {} refused: more than {} at once from that address{}",
                        source, perSource, LogThrottle.more(skipped));
            }
            observer.refused(ROUTE, 429);
            Exchange.error(response, callback, json, 429, "too many requests without a client certificate from " + source
                    + " at once (limit " + perSource + "): retry later");
            return true;
        }
        Callback done = Callback.from(callback, () -> release(source));
        try {
            if (!super.handle(request, response, done)) {
                release(source);
                return false;
            }
            return true;
        } catch (Exception | Error e) {
            release(source);
            throw e;
        }
    }

    private void release(String source) {
        inFlight.computeIfPresent(source, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    /** @return whether the request came with a client certificate (the TLS layer checked it chains to our CA) */
    static boolean authenticated(Request request) {
        Object d = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        return d instanceof EndPoint.SslSessionData s && s.peerCertificates() != null && s.peerCertificates().length > 0;
    }
}
