package io.fluxrig.gear.json.http;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.json.FluxMsgJson;
import io.fluxrig.msg.json.JsonEnvelopeException;
import io.fluxrig.telemetry.MessageSpans;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code json.http} gear: sends each message's JSON to a REST endpoint and emits the response.
 *
 * <p><b>Threading.</b> {@link #onMessage} runs on the upstream's thread and never blocks on the
 * network: it builds the request, starts Jetty's asynchronous {@code send} and returns. The
 * client reads the response on its own I/O threads ({@code fluxrig-json.http-<instance>-io-N})
 * and hands the completion to one of this instance's executor threads
 * ({@code fluxrig-json.http-<instance>-N}, a fixed pool of {@code threads}), where the outcome is
 * emitted: downstream gears run on those threads, never on the client's I/O threads. The instance
 * owns one Jetty {@link HttpClient} (its connection pool, selector and I/O threads) and that
 * executor; {@link #deactivate} stops both.
 *
 * <p><b>Outcomes.</b> A 2xx response with a JSON body → {@code out}: a message derived from the
 * request (fresh id, ref = request id, meta such as a connection id kept) with the body as data
 * (or under a data key) and meta {@value #META_STATUS}. Anything else (timeout, connection
 * refused, 5xx after the allowed retries, 4xx, an unparseable body, too many requests in flight,
 * the gear closing) → {@code error}: the request message with meta {@value Gear#META_ERROR} = the
 * reason and {@value Gear#META_ERROR_GEAR} = the instance. These are emitted by the gear itself,
 * because the rack's error routing only covers synchronous throws; every accepted message gets
 * exactly one of the two. A message whose request cannot be built (its JSON source is missing)
 * is rejected synchronously with {@link GearRejection}.
 *
 * <p><b>Holding the message.</b> Each accepted message is {@link GearContext#defer() deferred}
 * and its outcome emitted through that deferral, which is then completed: a request that came
 * from a wire is acknowledged only after its outcome was emitted and published downstream, so a
 * rack that dies mid-call loses nothing (the wire delivers it again). When the gear closes with
 * calls outstanding, a wire request is failed back to its wire (delivered again, to the next
 * binding) instead of being answered on {@code error}; other requests are answered on
 * {@code error} as before.
 *
 * <p><b>Retries</b> (after a timeout, connection failure or 5xx) happen only when the request is
 * idempotent ({@code PUT}, or {@code idempotent=true}), at most {@code retries} times.
 */
@GearType(value = JsonHttpGear.TYPE, in = Gear.PORT_IN, out = Gear.PORT_OUT,
        description = "Sends JSON to a REST endpoint (Jetty HttpClient, async); response on out, failures on error")
@Component(configurationPid = Gear.FACTORY_PID_PREFIX + JsonHttpGear.TYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=" + JsonHttpGear.TYPE)
@Designate(ocd = HttpConfig.class, factory = true)
public class JsonHttpGear implements Gear {
    static final String TYPE = "json.http";
    /** Meta key: the HTTP status of the (last) response, when there was one. */
    public static final String META_STATUS = "http.status";
    /** Meta key: how many attempts were made. */
    public static final String META_ATTEMPTS = "http.attempts";

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpGear.class);

    private final String instance;
    private final Settings settings;
    private final ExecutorService executor;
    private final HttpClient client;
    private final FluxMsgJson json = FluxMsgJson.create();
    private final Semaphore permits;
    /**
     * Client spans from the rack's OpenTelemetry, registered by rack.telemetry only while tracing is
     * enabled; null: no client span, and the message's own trace is what the backend gets as
     * traceparent. Set by {@link #bindTelemetry}/{@link #unbindTelemetry} (DS threads), read per call.
     */
    private volatile MessageSpans spans;
    /** The OpenTelemetry {@link #spans} comes from; guarded by this. */
    private OpenTelemetry bound;
    /** Calls not yet answered; failed by {@link #close()}. */
    private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
    /** Backend answers that came after their call was settled (by close), and were dropped. */
    private final LongAdder lateAnswers = new LongAdder();

    /**
     * Validates the configuration, reads the TLS stores (small local files) and builds the client;
     * nothing connects here.
     *
     * @param config the instance configuration
     * @param props the component properties (for the instance name)
     * @throws IllegalArgumentException naming the attribute, which fails the activation
     */
    @Activate
    public JsonHttpGear(HttpConfig config, Map<String, Object> props) {
        this.instance = String.valueOf(props.getOrDefault(Gear.INSTANCE, TYPE));
        this.settings = Settings.of(config);
        int threads = config.threads();
        if (threads < 1 || threads > 16 || config.max_in_flight() < 1) {
            throw new IllegalArgumentException(TYPE + " config: threads must be 1..16 and max.in.flight >= 1");
        }
        this.permits = new Semaphore(config.max_in_flight());
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fluxrig-json.http-" + instance + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            this.client = Clients.build(config, instance);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        HttpTracing.Client span = HttpTracing.start(spans, msg, settings.method(), settings.uri());
        byte[] body;
        try {
            body = body(msg);
        } catch (GearRejection e) {
            HttpTracing.end(span, 0, 0, e.getMessage());
            throw e;
        }
        Call call = new Call(msg, context.defer(), body, HttpTracing.traceparent(span, msg), span);
        if (!permits.tryAcquire()) {
            HttpTracing.end(span, 0, 0, "too many requests in flight");
            emitError(call, "too many requests in flight (max.in.flight reached)", null);
            return;
        }
        inFlight.add(call);
        attempt(call);
    }

    private byte[] body(FluxMsg msg) throws GearRejection {
        byte[] body;
        if ("raw".equals(settings.source())) {
            if (msg.raw() == null) {
                throw new GearRejection(TYPE + ": the message has no raw bytes to send");
            }
            body = msg.raw().toByteArray();
        } else if ("data".equals(settings.source())) {
            body = json.writeValue(msg.data());
        } else {
            Object v = msg.get(settings.source());
            if (v == null) {
                throw new GearRejection(TYPE + ": data '" + settings.source() + "' to send is missing");
            }
            body = v instanceof Bytes b ? b.toByteArray()
                    : v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : json.writeValue(v);
        }
        return body;
    }

    /** A fresh request for one attempt (a Jetty request is sent once). */
    private Request request(Call call) {
        Request r = client.newRequest(settings.uri()).method(settings.method())
                .timeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)
                .body(new BytesRequestContent("application/json", call.body));
        r.headers(h -> {
            h.put(HttpHeader.ACCEPT, "application/json");
            settings.headers().forEach(h::put);
            if (call.traceparent != null) {
                h.put("traceparent", call.traceparent);
            }
        });
        return r;
    }

    /**
     * Starts one attempt. The completion comes on one of the client's I/O threads and is handed
     * to the instance's executor, which runs everything downstream.
     */
    private void attempt(Call call) {
        if (call.finished()) {
            return;
        }
        call.attempts++;
        try {
            request(call).send(new BufferingResponseListener(Answer.MAX_BODY) {
                @Override
                public void onComplete(Result result) {
                    Throwable failure = result.getFailure();
                    byte[] content = failure == null ? getContent() : null;
                    Answer answer = failure == null
                            ? new Answer(result.getResponse().getStatus(), content == null ? new byte[0] : content) : null;
                    try {
                        executor.execute(() -> completed(call, answer, failure));
                    } catch (RuntimeException e) {
                        answerError(call, "cannot complete: " + e, null); // the executor is shut down (deactivated)
                    }
                }
            });
        } catch (RuntimeException e) {
            // The client is stopped (deactivated) or refused the request.
            answerError(call, "cannot send: " + e, null);
        }
    }

    private void completed(Call call, Answer response, Throwable failure) {
        if (call.finished()) {
            lateAnswers.increment();
            return;
        }
        String problem = failure != null ? Failures.describe(failure, settings)
                : response.status() >= 500 ? "HTTP " + response.status() + " from the backend" : null;
        boolean retryable = failure != null || response.status() >= 500;
        if (problem != null && retryable && settings.retryAllowed() && call.attempts <= settings.retries()) {
            LOG.debug("{} {}: attempt {} failed ({}), retrying", TYPE, instance, call.attempts, problem);
            try {
                CompletableFuture.delayedExecutor(settings.backoffMs(), TimeUnit.MILLISECONDS, executor)
                        .execute(() -> attempt(call));
            } catch (RuntimeException e) {
                answerError(call, problem + "; no retry possible: " + e, response);
            }
            return;
        }
        if (problem != null) {
            answerError(call, problem + attemptsText(call), response);
        } else if (response.status() < 200 || response.status() > 299) {
            answerError(call, "HTTP " + response.status() + " from the backend" + attemptsText(call), response);
        } else {
            answerOut(call, response);
        }
    }

    private String attemptsText(Call call) {
        return call.attempts > 1 ? " (after " + call.attempts + " attempts)" : "";
    }

    private void answerOut(Call call, Answer response) {
        Object body;
        try {
            body = json.readValue(response.body());
        } catch (JsonEnvelopeException e) {
            answerError(call, "unparseable response body (HTTP " + response.status() + "): " + e.getMessage(), response);
            return;
        }
        FluxMsg.Builder out = call.msg.derive().id(AnswerIds.of(instance, call.msg.id())).meta(META_STATUS, String.valueOf(response.status()))
                .meta(META_ATTEMPTS, String.valueOf(call.attempts));
        if ("data".equals(settings.target())) {
            if (!(body instanceof Map<?, ?> m)) {
                answerError(call, "response body is " + (body == null ? "null" : "not a JSON object") + ", cannot become the data", response);
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) m;
            out.clearData().data(data);
        } else {
            out.data(settings.target(), body);
        }
        if (call.finish()) {
            release(call);
            HttpTracing.end(call.span, call.attempts, response.status(), null);
            if (call.span != null) {
                out.trace(HttpTracing.traceparent(call.span, call.msg));
            }
            emit(call, PORT_OUT, out.build());
        }
    }

    private void answerError(Call call, String reason, Answer response) {
        if (call.finish()) {
            release(call);
            HttpTracing.end(call.span, call.attempts, response == null ? 0 : response.status(), reason);
            emitError(call, reason, response);
        }
    }

    private void release(Call call) {
        if (inFlight.remove(call)) {
            permits.release();
        }
    }

    private void emitError(Call call, String reason, Answer response) {
        FluxMsg.Builder b = call.msg.derive().id(AnswerIds.of(instance, call.msg.id()))
                .meta(META_ATTEMPTS, String.valueOf(call.attempts));
        if (response != null) {
            b.meta(META_STATUS, String.valueOf(response.status()));
        }
        try {
            call.deferral.reject(b.build(), TYPE + " " + settings.method() + " " + settings.uri() + ": " + reason);
        } catch (RuntimeException e) {
            // As in emit: a wire delivery is failed by the rack; otherwise log it.
            LOG.warn("{} {}: could not emit on {} for message {}: {}", TYPE, instance, PORT_ERROR, call.msg.id(), e.toString());
        }
    }

    /** Emits the outcome through the call's deferral, then completes it (the message is handled). */
    private void emit(Call call, String port, FluxMsg msg) {
        try {
            call.deferral.emit(port, msg);
        } catch (RuntimeException e) {
            // Back-pressure, a closed context, or a downstream failure: a wire delivery is failed
            // by the rack (it will be redelivered); otherwise nobody upstream waits on this
            // thread, so log it where an operator sees it.
            LOG.warn("{} {}: could not emit on {} for message {}: {}", TYPE, instance, port, call.msg.id(), e.toString());
        } finally {
            call.deferral.complete();
        }
    }

    /**
     * Gives back every outstanding call while the context is still valid: a message from a wire
     * is failed (naked, so it is delivered again, to the next binding of this instance); any other
     * is answered on the error port.
     */
    @Override
    public void close() {
        for (Call call : inFlight) {
            if (!call.deferral.redelivers()) {
                answerError(call, "gear closing: request abandoned", null);
            } else if (call.finish()) {
                release(call);
                HttpTracing.end(call.span, call.attempts, 0, "gear closing: request abandoned");
                call.deferral.fail(TYPE + " gear closing: request abandoned, to be delivered again");
            }
        }
    }

    /** Fails what is still outstanding, then stops the client (its connections and I/O threads) and the executor. */
    @Deactivate
    void deactivate() {
        close();
        Clients.stop(client);
        executor.shutdownNow();
    }

    /** @return backend answers dropped because their call was already settled (for tests and consoles) */
    long lateAnswers() {
        return lateAnswers.sum();
    }

    /** The rack's OpenTelemetry came (or a replacement, bound before the old one goes). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindTelemetry")
    synchronized void bindTelemetry(OpenTelemetry o, Map<String, Object> properties) {
        bound = o;
        spans = new MessageSpans(o, HttpTracing.SCOPE, properties);
    }

    /** Stops client spans if {@code o} is the OpenTelemetry in use. */
    synchronized void unbindTelemetry(OpenTelemetry o) {
        if (bound == o) {
            bound = null;
            spans = null;
        }
    }

    /** Sets the OpenTelemetry as DS would (tests without a framework); null: tracing off. */
    void telemetry(OpenTelemetry o) {
        telemetry(o, Map.of());
    }

    /** For tests in this package: trace with {@code o} registered with {@code properties} (null: stop). */
    void telemetry(OpenTelemetry o, Map<String, Object> properties) {
        if (o == null) {
            unbindTelemetry(bound);
        } else {
            bindTelemetry(o, properties);
        }
    }

    /** @return requests not yet answered (for tests and consoles) */
    int inFlight() {
        return inFlight.size();
    }
}
