package io.fluxrig.gear.basic;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code deadline} gear: a request/reply guard for a peer that must be answered in time
 * whatever happens further on (a POS terminal gives up after a few seconds). A message on
 * {@code in} is remembered by its id and forwarded on {@code out}; a message on {@code reply}
 * whose {@code ref} names a remembered request goes on {@code answered} (the request is then
 * forgotten). A request with no reply within {@code timeout.ms} goes on {@code expired} (meta
 * {@value #META_EXPIRED}), once: the flow turns it into an explicit decline. A reply that names
 * no waiting request (it came after the timeout, or it is a second reply to the same request, as
 * an at-least-once wire can produce) is dropped and counted, so the peer never gets two answers.
 *
 * <p>Threading: {@link #onMessage} runs on any number of threads; expiry runs on one timer
 * thread per {@link #open} ({@code fluxrig-deadline-<instance>}), owned by this instance and
 * stopped by {@link #close}, which also answers what still waits on {@code expired} while the
 * context is valid. {@code timer} and {@code context} are guarded by {@code this}.
 */
@GearType(value = DeadlineGear.TYPE, in = {Gear.PORT_IN, DeadlineGear.PORT_REPLY},
        out = {Gear.PORT_OUT, DeadlineGear.PORT_ANSWERED, DeadlineGear.PORT_EXPIRED},
        description = "Forwards requests (in -> out), pairs replies (reply, ref = request id -> answered), gives up after timeout.ms (expired)")
@Component(configurationPid = Gear.FACTORY_PID_PREFIX + DeadlineGear.TYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=" + DeadlineGear.TYPE)
@Designate(ocd = DeadlineConfig.class, factory = true)
public class DeadlineGear implements Gear {
    static final String TYPE = "deadline";
    static final String PORT_REPLY = "reply";
    static final String PORT_ANSWERED = "answered";
    static final String PORT_EXPIRED = "expired";
    /** Meta key on an expired request: why it expired. */
    public static final String META_EXPIRED = "deadline.expired";

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineGear.class);

    private final long timeoutMs;
    private final Deadlines deadlines;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private ScheduledExecutorService timer;
    private GearContext context;

    /**
     * @param config the instance configuration
     * @throws IllegalArgumentException naming the attribute when a value is out of range
     */
    @Activate
    public DeadlineGear(DeadlineConfig config) {
        if (config.timeout_ms() < 1 || config.max_pending() < 1) {
            throw new IllegalArgumentException("deadline config: timeout.ms and max.pending must be at least 1, are "
                    + config.timeout_ms() + " and " + config.max_pending());
        }
        this.timeoutMs = config.timeout_ms();
        this.deadlines = new Deadlines(TimeUnit.MILLISECONDS.toNanos(timeoutMs), config.max_pending());
    }

    @Override
    public synchronized void open(GearContext context) {
        stopTimer();
        this.context = context;
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "fluxrig-deadline-" + context.instance());
            th.setDaemon(true);
            return th;
        });
        // A tenth of the timeout, within 5..50 ms: an expired request is answered at most that late.
        long period = Math.max(5, Math.min(50, timeoutMs / 10));
        t.scheduleWithFixedDelay(() -> expire(context), period, period, TimeUnit.MILLISECONDS);
        timer = t;
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        switch (port) {
            case PORT_IN -> forward(msg, context);
            case PORT_REPLY -> reply(msg, context);
            default -> throw new GearRejection(TYPE + " " + context.instance() + " has no input port '" + port + "'");
        }
    }

    private void forward(FluxMsg msg, GearContext context) throws GearRejection {
        Deadlines.Waiting w = deadlines.register(msg, System.nanoTime());
        if (w == null) {
            throw new GearRejection(TYPE + " " + context.instance() + ": " + deadlines.size()
                    + " requests already wait for a reply (max.pending); request " + msg.id() + " not forwarded");
        }
        try {
            context.emit(PORT_OUT, msg);
        } catch (RuntimeException e) {
            // Not forwarded (back-pressure, closing): nobody will reply, so do not wait for it.
            deadlines.forget(w);
            throw e;
        }
    }

    private void reply(FluxMsg msg, GearContext context) {
        Deadlines.Waiting w = deadlines.take(msg);
        if (w == null) {
            long n = dropped.incrementAndGet();
            LOG.debug("{} {}: reply {} to request {} dropped: no request waits for it (late or duplicate; {} dropped so far)",
                    TYPE, context.instance(), msg.id(), msg.ref(), n);
            return;
        }
        try {
            context.emit(PORT_ANSWERED, msg);
        } catch (BackPressureException e) {
            // Refused downstream, nothing passed on (a gear further on is being replaced, a buffer
            // is full): the request waits again, so the reply delivered again (a wire redelivers
            // what this refusal fails) answers it, or it expires and is answered 96.
            deadlines.restore(w);
            throw e;
        }
        answered.incrementAndGet();
    }

    private void expire(GearContext context) {
        try {
            emitExpired(context, deadlines.expire(System.nanoTime()), "no reply within " + timeoutMs + " ms");
        } catch (RuntimeException e) {
            // Never let the timer die: the next run tries again with what is left.
            LOG.warn("{} {}: expiry failed: {}", TYPE, context.instance(), e.toString());
        }
    }

    private void emitExpired(GearContext context, List<FluxMsg> requests, String why) {
        for (FluxMsg r : requests) {
            expired.incrementAndGet();
            try {
                context.emit(PORT_EXPIRED, r.toBuilder().meta(META_EXPIRED, why).build());
            } catch (RuntimeException e) {
                LOG.warn("{} {}: request {} expired ({}) but could not be emitted: {}", TYPE, context.instance(), r.id(), why,
                        e.toString());
            }
        }
    }

    /** @return "answered N, expired N, dropped N, waiting N" (consoles, tests) */
    public String counters() {
        return "answered " + answered.get() + ", expired " + expired.get() + ", dropped " + dropped.get() + ", waiting "
                + deadlines.size();
    }

    @Override
    public synchronized void close() {
        stopTimer();
        if (context != null) {
            List<FluxMsg> left = deadlines.drain();
            if (!left.isEmpty()) {
                LOG.info("{} {}: closing, {} requests still waiting go to expired", TYPE, context.instance(), left.size());
            }
            emitExpired(context, left, "gear closing before a reply came");
            context = null;
        }
    }

    private void stopTimer() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }

    /** Stops the timer if the rack did not close this instance first. */
    @Deactivate
    void deactivate() {
        close();
    }
}
