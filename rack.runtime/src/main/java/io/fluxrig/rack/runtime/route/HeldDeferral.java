package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.Deferral;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link Deferral} of a message that came from a wire: it holds that delivery's
 * {@link DeliveryScope} open until it is completed, failed, or expires after the rack's bound.
 * Its emits run inside the scope (on the caller's thread), so their wire publishes join the
 * delivery and a downstream that would buffer the message refuses it instead.
 *
 * <p>An error emitted with no error link fails the delivery with that error (for a wire message
 * nothing else would ever see it). A failure while emitting (back pressure, an unroutable
 * message) fails the delivery too, and is re-thrown to the gear.
 *
 * <p>Threading: any thread; {@code settled} makes exactly one of complete/fail/expire count.
 */
final class HeldDeferral implements Deferral {
    private final DeliveryScope scope;
    private final Dispatcher dispatcher;
    private final RackGearContext context;
    private final long timeoutMillis;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final ScheduledFuture<?> timeout;

    HeldDeferral(DeliveryScope scope, Dispatcher dispatcher, RackGearContext context, long timeoutMillis,
            ScheduledExecutorService delays) {
        this.scope = scope;
        this.dispatcher = dispatcher;
        this.context = context;
        this.timeoutMillis = timeoutMillis;
        scope.hold();
        ScheduledFuture<?> t;
        try {
            t = delays.schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            t = null;
            settle("gear " + context.instance() + ": the rack is stopping");
        }
        this.timeout = t;
    }

    @Override
    public void emit(String port, FluxMsg msg) {
        if (settled.get() || scope.settled()) {
            throw new IllegalStateException("gear " + context.instance() + ": deferred message "
                    + (settled.get() ? "already settled" : "already given back to its wire") + ": emit on '" + port
                    + "' refused");
        }
        if (Gear.PORT_ERROR.equals(port) && !dispatcher.linked(context.instance(), port)) {
            scope.fail("gear " + context.instance() + " failed the message and its error port has no link: "
                    + msg.meta(Gear.META_ERROR));
            context.stats().errors.increment();
            return;
        }
        DeliveryScope outer = dispatcher.enterWireDelivery(scope);
        try {
            context.emit(port, msg);
        } catch (RuntimeException e) {
            scope.fail("gear " + context.instance() + ": deferred emit on '" + port + "' failed: " + e.getMessage());
            throw e;
        } finally {
            dispatcher.leaveWireDelivery(outer);
        }
    }

    /** Emits the error message inside the held scope (see {@link #emit}), then completes. */
    @Override
    public void reject(FluxMsg msg, String reason) {
        try {
            emit(Gear.PORT_ERROR, GearRejection.errorMessage(msg, context.instance(), reason));
            if (dispatcher.linked(context.instance(), Gear.PORT_ERROR)) {
                context.stats().errors.increment();
            }
        } finally {
            complete();
        }
    }

    @Override
    public void complete() {
        if (settled.compareAndSet(false, true)) {
            cancelTimeout();
            scope.release();
        }
    }

    @Override
    public void fail(String reason) {
        settle("gear " + context.instance() + ": " + (reason == null ? "deferred work failed" : reason));
    }

    @Override
    public boolean redelivers() {
        return true;
    }

    private void expire() {
        settle("gear " + context.instance() + ": deferred message not settled within " + timeoutMillis
                + " ms (fluxrig.rack.defer.timeout.ms)");
    }

    private void settle(String reason) {
        if (settled.compareAndSet(false, true)) {
            cancelTimeout();
            scope.fail(reason);
            scope.release();
        }
    }

    private void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
