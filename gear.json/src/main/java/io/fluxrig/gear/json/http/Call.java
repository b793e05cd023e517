package io.fluxrig.gear.json.http;

import io.fluxrig.gear.Deferral;
import io.fluxrig.msg.FluxMsg;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One message's exchange with the backend: the request body and traceparent (each attempt sends
 * a fresh request built from them), the deferral that holds the message (and its wire delivery)
 * open and is emitted through, and how many attempts were made. Attempts run one after the other
 * (each started from the previous one's completion), so {@link #attempts} is only touched by one
 * thread at a time; {@link #finish()} decides once, across threads, who answers (the last
 * completion or {@code close}).
 */
final class Call {
    final FluxMsg msg;
    final Deferral deferral;
    final byte[] body;
    /** The traceparent header to send, or null. */
    final String traceparent;
    /** The HTTP client span, or null when tracing is off or nothing is to be judged; ended by whoever settles the call. */
    final HttpTracing.Client span;
    /** Attempts started; written only by the thread starting the next attempt. */
    volatile int attempts;
    private final AtomicBoolean finished = new AtomicBoolean();

    Call(FluxMsg msg, Deferral deferral, byte[] body, String traceparent, HttpTracing.Client span) {
        this.span = span;
        this.msg = msg;
        this.deferral = deferral;
        this.body = body;
        this.traceparent = traceparent;
    }

    /** @return true exactly once: for the caller that gets to emit the outcome */
    boolean finish() {
        return finished.compareAndSet(false, true);
    }

    boolean finished() {
        return finished.get();
    }
}
