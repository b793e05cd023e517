package io.fluxrig.testsupport;

import io.fluxrig.gear.Deferral;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A {@link GearContext} for plain JUnit tests of a gear: the one rack stand-in of the tests.
 * Emits are recorded (in order, per port, with the emitting thread) unless the port is
 * {@link #route routed}: then the message is handed synchronously to that route, as an in-rack
 * link does, and what the route throws is recorded in {@link #rejections()} as the rack would log
 * it. A {@link #beforeEmit hook} may refuse emits (throw {@code BackPressureException}). With
 * {@link #holding(boolean)}, {@link #defer()} returns deferrals that record what the gear does
 * with them ({@link #events()}: {@code "defer"}, {@code "emit PORT"}, {@code "reject: REASON"},
 * {@code "complete"}, {@code "fail: REASON"}); otherwise the API's default deferral is used.
 *
 * <p>Thread-safe: gears emit from their own threads; the test reads with the waiting methods,
 * whose 20 s wait is a hang guard, not a timing check.
 */
public final class RecordingContext implements GearContext {
    /** A link target for {@link #route}. */
    @FunctionalInterface
    public interface Route {
        /** @param msg the emitted message @throws Exception as a gear's {@code onMessage} may */
        void accept(FluxMsg msg) throws Exception;
    }

    /**
     * One recorded emit.
     *
     * @param port the port
     * @param msg the message
     * @param thread the name of the emitting thread
     */
    public record Emitted(String port, FluxMsg msg, String thread) {
    }

    private static final long WAIT_S = 20;

    private final String instance;
    private final BlockingQueue<Emitted> emitted = new LinkedBlockingQueue<>();
    private final List<Emitted> all = new CopyOnWriteArrayList<>();
    private final Map<String, BlockingQueue<FluxMsg>> byPort = new ConcurrentHashMap<>();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private volatile BiConsumer<String, FluxMsg> beforeEmit = (port, msg) -> { };
    private volatile Boolean holdingRedelivers;

    /** A context of instance {@code "gear"} in rack {@code "test"}. */
    public RecordingContext() {
        this("gear");
    }

    /** @param instance the gear instance name the context reports */
    public RecordingContext(String instance) {
        this.instance = instance;
    }

    /** @param port a port @param target the route of its emits @return this */
    public RecordingContext route(String port, Route target) {
        routes.put(port, target);
        return this;
    }

    /** Links a port to a gear's {@code in} port, called with that gear's own context. @return this */
    public RecordingContext link(String port, Gear target, GearContext targetContext) {
        return route(port, m -> target.onMessage(Gear.PORT_IN, m, targetContext));
    }

    /** @param hook called before each emit is recorded; what it throws refuses the emit @return this */
    public RecordingContext beforeEmit(BiConsumer<String, FluxMsg> hook) {
        this.beforeEmit = hook;
        return this;
    }

    /** @param redelivers what the recording deferrals report from {@code redelivers()} @return this */
    public RecordingContext holding(boolean redelivers) {
        this.holdingRedelivers = redelivers;
        return this;
    }

    @Override
    public String rack() {
        return "test";
    }

    @Override
    public String instance() {
        return instance;
    }

    @Override
    public void emit(String port, FluxMsg msg) {
        beforeEmit.accept(port, msg);
        Route r = routes.get(port);
        if (r != null) {
            try {
                r.accept(msg);
            } catch (Exception e) {
                rejections.add(e.getMessage());
            }
            return;
        }
        Emitted e = new Emitted(port, msg, Thread.currentThread().getName());
        all.add(e);
        queue(port).add(msg);
        emitted.add(e);
    }

    @Override
    public Deferral defer() {
        Boolean redelivers = holdingRedelivers;
        if (redelivers == null) {
            return GearContext.super.defer();
        }
        events.add("defer");
        return new RecordingDeferral(redelivers);
    }

    /** @return the next emit on any port, in order, waiting for it */
    public Emitted next() throws InterruptedException {
        Emitted e = emitted.poll(WAIT_S, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("nothing was emitted by " + instance);
        }
        return e;
    }

    /** @return the next message emitted on {@code port}, waiting for it */
    public FluxMsg take(String port) throws InterruptedException {
        FluxMsg m = queue(port).poll(WAIT_S, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("nothing emitted on " + instance + "." + port);
        }
        return m;
    }

    /** @return the messages emitted on {@code port} and not yet taken */
    public BlockingQueue<FluxMsg> queue(String port) {
        return byPort.computeIfAbsent(port, p -> new LinkedBlockingQueue<>());
    }

    /** @return every emit recorded so far, in order (taking does not remove from it) */
    public List<Emitted> emitted() {
        return List.copyOf(all);
    }

    /** @return the messages emitted so far on {@code port}, in order */
    public List<FluxMsg> emitted(String port) {
        return all.stream().filter(e -> e.port().equals(port)).map(Emitted::msg).toList();
    }

    /** @return whether no emit is waiting to be read by {@link #next()} */
    public boolean isEmpty() {
        return emitted.isEmpty();
    }

    /** @return what routes threw, as the rack would log it */
    public List<String> rejections() {
        return rejections;
    }

    /** @return the deferral events not yet read by {@link #nextEvent()} */
    public BlockingQueue<String> events() {
        return events;
    }

    /** @return the next deferral event, waiting for it */
    public String nextEvent() throws InterruptedException {
        String e = events.poll(WAIT_S, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("nothing happened to a deferral of " + instance);
        }
        return e;
    }

    /** Records what the gear does with a deferral; emits also go through the context. */
    private final class RecordingDeferral implements Deferral {
        private final boolean redelivers;

        RecordingDeferral(boolean redelivers) {
            this.redelivers = redelivers;
        }

        @Override
        public void emit(String port, FluxMsg msg) {
            events.add("emit " + port);
            RecordingContext.this.emit(port, msg);
        }

        @Override
        public void reject(FluxMsg msg, String reason) {
            events.add("reject: " + reason);
            RecordingContext.this.emit(Gear.PORT_ERROR, GearRejection.errorMessage(msg, instance, reason));
        }

        @Override
        public void complete() {
            events.add("complete");
        }

        @Override
        public void fail(String reason) {
            events.add("fail: " + reason);
        }

        @Override
        public boolean redelivers() {
            return redelivers;
        }
    }
}
