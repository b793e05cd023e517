package io.fluxrig.gear.json;

import io.fluxrig.gear.GearContext;
import io.fluxrig.msg.FluxMsg;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A GearContext that records what is emitted, from any thread. */
public final class Recorder implements GearContext {
    /** One emitted message and its port. */
    public record Emitted(String port, FluxMsg msg, String thread) {
    }

    private final BlockingQueue<Emitted> emitted = new LinkedBlockingQueue<>();

    @Override
    public String rack() {
        return "test";
    }

    @Override
    public String instance() {
        return "gear";
    }

    @Override
    public void emit(String port, FluxMsg msg) {
        emitted.add(new Emitted(port, msg, Thread.currentThread().getName()));
    }

    /** @return the next emitted message, waiting up to 20 s (a hang guard, not a timing check) */
    public Emitted next() throws InterruptedException {
        Emitted e = emitted.poll(20, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("nothing was emitted");
        }
        return e;
    }

    /** @return whether nothing more was emitted */
    public boolean isEmpty() {
        return emitted.isEmpty();
    }
}
