package io.fluxrig.mixer.nats;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the NATS servers holding the rack revocations the Mixer made ({@link
 * NatsIssuer#ensureRevocations}): checks when NATS comes back to the Mixer ({@link #checkSoon}),
 * after every push (a push is held only once read back), and every {@link #AUDIT} (a cluster server
 * restarted while the Mixer stayed connected to another, or a resolver exchange between servers
 * that brought back an older JWT, is noticed without a reconnect). A check that had to push again,
 * or could not be made, is followed by another one second later, then two, four, ... up to the
 * audit period, until the servers hold them: a server that was loading the account while the push
 * arrived has finished by then, and its claims are read back.
 *
 * <p>Threading and ownership: owns one thread, {@code fluxrig-mixer-nats-revocations}, that runs
 * every check (they block on NATS); {@link #checkSoon} may be called from any thread (a jnats
 * event thread, a request thread). {@link #status} is safe from any thread. {@link #close} stops the
 * thread.
 */
public final class RevocationKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationKeeper.class);
    /** How often the servers are checked while nothing else asks for it. */
    static final Duration AUDIT = Duration.ofSeconds(30);
    /** The first check after a check that pushed again. */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final NatsIssuer issuer;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    /** The keeper's thread (set once it starts): its own pushes schedule their check themselves. */
    private volatile Thread keeperThread;
    private final AtomicBoolean queued = new AtomicBoolean();
    /** The re-check waiting, if any; guarded by this. */
    private ScheduledFuture<?> recheck;
    /** The wait before the next check after one that pushed; used on the keeper's thread only. */
    private Duration afterPush = RECHECK;
    /** The wait before the next check after one that could not be made; used on the keeper's thread only. */
    private Duration afterFailure = RECHECK;
    /** Whether the last check failed (logged once per failing run); used on the keeper's thread only. */
    private boolean failing;
    /** Whether the last check pushed again; used on the keeper's thread only. */
    private boolean repushed;
    private volatile Status status = new Status(0, false, null, 0, null);

    /**
     * What the last check found.
     *
     * @param revocations revocations the Mixer holds
     * @param held whether every server answering held them all at the last check
     * @param checkedAt when the last check ended (null: none yet)
     * @param pushedAgain how many times a check found them lacking and pushed them again
     * @param failure why the last check could not be made, or null
     */
    public record Status(int revocations, boolean held, Instant checkedAt, long pushedAgain, String failure) {
        /** @return the status for the health data ({@code natsRevocations}) */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("revocations", revocations);
            m.put("held", held);
            if (checkedAt != null) {
                m.put("checkedAt", checkedAt.toString());
            }
            m.put("pushedAgain", pushedAgain);
            if (failure != null) {
                m.put("failure", failure);
            }
            return m;
        }
    }

    /** Starts the periodic check (the first one after {@link #AUDIT}; call {@link #checkSoon} for one now). */
    public RevocationKeeper(NatsIssuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fluxrig-mixer-nats-revocations");
            t.setDaemon(true);
            keeperThread = t;
            return t;
        });
        issuer.onPush(this::pushed);
        thread.scheduleWithFixedDelay(this::check, AUDIT.toMillis(), AUDIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a check now (one is queued at most: calls while it waits are one). */
    public void checkSoon() {
        if (queued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    queued.set(false);
                    check();
                });
            } catch (RejectedExecutionException closed) {
                queued.set(false); // closing
            }
        }
    }

    /**
     * A push made elsewhere (a revoke, a renewal retiring older keys): not held until a check reads
     * it back, {@link #RECHECK} later (a server loading the account as it arrived has finished then).
     */
    private void pushed() {
        if (Thread.currentThread() == keeperThread) {
            return; // the check that pushed schedules the next one
        }
        Status s = status;
        status = new Status(s.revocations(), false, s.checkedAt(), s.pushedAgain(), s.failure());
        schedule(RECHECK);
    }

    /** @return what the last check found */
    public Status status() {
        return status;
    }

    /** On the keeper's thread. */
    private void check() {
        Status before = status;
        NatsIssuer.Check c;
        try {
            c = issuer.ensureRevocations();
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot check that the NATS servers hold the rack revocations (checked again in {} ms, then less "
                        + "often): {}", afterFailure.toMillis(), e.getMessage());
                failing = true;
            }
            status = new Status(before.revocations(), false, clock.instant(), before.pushedAgain(), String.valueOf(e.getMessage()));
            schedule(afterFailure);
            afterFailure = doubled(afterFailure);
            return;
        }
        if (failing) {
            LOG.info("the NATS servers answer the revocation check again");
            failing = false;
        }
        afterFailure = RECHECK;
        if (c.held()) {
            if (repushed) {
                LOG.info("the NATS servers hold the {} revoked rack NATS key(s) again", c.revocations());
            }
            repushed = false;
            afterPush = RECHECK;
            status = new Status(c.revocations(), true, clock.instant(), before.pushedAgain(), null);
            return;
        }
        LOG.warn("{} revoked rack NATS key(s) were missing on the NATS servers ({}): pushed again, checked again in {} ms",
                c.revocations(), String.join(", ", c.lacking()), afterPush.toMillis());
        status = new Status(c.revocations(), false, clock.instant(), before.pushedAgain() + 1, null);
        repushed = true;
        schedule(afterPush);
        afterPush = doubled(afterPush);
    }

    private static Duration doubled(Duration d) {
        return d.multipliedBy(2).compareTo(AUDIT) > 0 ? AUDIT : d.multipliedBy(2);
    }

    /**
     * Schedules a re-check in {@code delay}, unless one is due sooner already (re-checks never
     * multiply; a sooner one replaces a later one).
     */
    private synchronized void schedule(Duration delay) {
        if (recheck != null && !recheck.isDone()) {
            if (recheck.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
                return;
            }
            recheck.cancel(false);
        }
        try {
            recheck = thread.schedule(this::recheckNow, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // closing
        }
    }

    /** A scheduled re-check: no longer waiting once it runs, so it can schedule the next. */
    private void recheckNow() {
        synchronized (this) {
            recheck = null;
        }
        check();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
