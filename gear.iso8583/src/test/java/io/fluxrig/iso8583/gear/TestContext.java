package io.fluxrig.iso8583.gear;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written rack stand-in for plain JUnit tests: a port either has a route (called
 * synchronously on the emitting thread, as an in-rack link does, with rejections recorded as the
 * rack would log them) or collects into a queue. Thread-safe.
 */
final class TestContext implements GearContext {
    /** A link target. */
    interface Route {
        void accept(FluxMsg msg) throws Exception;
    }

    private final String instance;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<FluxMsg>> queues = new ConcurrentHashMap<>();
    final List<String> rejections = new CopyOnWriteArrayList<>();

    TestContext(String instance) {
        this.instance = instance;
    }

    /** Links a port to a gear's {@code in} port, with the gear's own context. */
    TestContext link(String port, Gear target, GearContext targetContext) {
        routes.put(port, m -> target.onMessage(Gear.PORT_IN, m, targetContext));
        return this;
    }

    TestContext route(String port, Route r) {
        routes.put(port, r);
        return this;
    }

    BlockingQueue<FluxMsg> queue(String port) {
        return queues.computeIfAbsent(port, p -> new LinkedBlockingQueue<>());
    }

    FluxMsg take(String port) throws InterruptedException {
        FluxMsg m = queue(port).poll(20, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("nothing emitted on " + instance + "." + port);
        }
        return m;
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
        Route r = routes.get(port);
        if (r == null) {
            queue(port).add(msg);
            return;
        }
        try {
            r.accept(msg);
        } catch (Exception e) {
            rejections.add(e.getMessage());
        }
    }
}
