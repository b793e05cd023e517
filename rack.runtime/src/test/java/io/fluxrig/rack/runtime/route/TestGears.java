package io.fluxrig.rack.runtime.route;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.runtime.patch.ParsedPatch;
import io.fluxrig.rack.runtime.patch.Patch;
import io.fluxrig.rack.runtime.patch.PatchParser;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hand-written gears for router tests (plain logic, no framework). */
final class TestGears {
    private TestGears() {
    }

    static Patch patch(String yaml) {
        ParsedPatch p = PatchParser.parse(yaml);
        if (!p.problems().isEmpty()) {
            throw new IllegalArgumentException(p.problems().toString());
        }
        return p.patch();
    }

    /** A source: keeps its context so the test can emit through it. */
    static final class Source implements Gear {
        volatile GearContext context;
        volatile boolean closed;

        @Override
        public void open(GearContext c) {
            context = c;
        }

        @Override
        public void onMessage(String port, FluxMsg msg, GearContext c) throws GearRejection {
            throw new GearRejection("source has no input");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Records what it receives (and on which thread); optionally passes it on to {@code out}. */
    static class Recorder implements Gear {
        final List<FluxMsg> received = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final boolean forward;
        volatile boolean closed;

        Recorder(boolean forward) {
            this.forward = forward;
        }

        @Override
        public void onMessage(String port, FluxMsg msg, GearContext c) throws GearRejection {
            received.add(msg);
            threads.add(Thread.currentThread());
            if (forward) {
                c.emit(PORT_OUT, msg);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static FluxMsg msg(long seq) {
        return FluxMsg.builder().data("seq", seq).build();
    }
}
