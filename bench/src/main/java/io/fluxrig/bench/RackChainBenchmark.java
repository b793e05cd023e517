package io.fluxrig.bench;

import io.fluxrig.cli.SampleEnvelope;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.rack.runtime.patch.ParsedPatch;
import io.fluxrig.rack.runtime.patch.PatchParser;
import io.fluxrig.rack.runtime.route.Router;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One message through a 3-gear in-rack chain, {@code src.out -> check.in, check.out -> sink.in},
 * on the calling thread: the rack.runtime {@link Router} (driven as plain Java, no OSGi) against
 * the same three gears calling each other directly.
 *
 * <ul>
 *   <li>{@code direct}: the baseline, emit → onMessage → emit → onMessage, no router, no hop;
 *   <li>{@code directWithHops}: the same plus the hop the rack records on every emit
 *       ({@code FluxMsg.withHop}), to split the router's cost into hop recording and routing;
 *   <li>{@code router}: emit through the router: topology lookup, inlet, binding in-flight
 *       accounting, stats, hop recording.
 * </ul>
 *
 * <p>Two hops per message (src → check, check → sink), so the per-hop cost is
 * {@code (router − direct) / 2}. The middle gear is transform-like but read-only (it checks two
 * fields and passes the message on), so the gears' own work stays small next to the routing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class RackChainBenchmark {
    /** Hops recorded per message in the chain. */
    public static final int HOPS = 2;
    private static final String RACK = "bench";
    private static final String PATCH = "gears: { src: source, check: transform, sink: log }\n"
            + "links: [ src.out -> check.in, check.out -> sink.in ]\n";

    private FluxMsg msg;
    private Router router;
    private Source routed;
    private Sink routedSink;
    private GearContext direct;
    private Sink directSink;
    private GearContext directWithHops;
    private Sink hopsSink;

    @Setup
    public void setUp() {
        msg = SampleEnvelope.cardAuthorisation();
        ParsedPatch parsed = PatchParser.parse(PATCH);
        if (!parsed.problems().isEmpty()) {
            throw new IllegalStateException("bench patch: " + parsed.problems());
        }
        // Buffers and waits are irrelevant here: every gear is bound before the first message.
        router = new Router(RACK, 1_000, 1_000, 1_000);
        router.applyPatch(parsed.patch());
        routed = new Source();
        routedSink = new Sink();
        router.offerGear("sink", routedSink, "bench");
        router.offerGear("check", new Check(), "bench");
        router.offerGear("src", routed, "bench");

        directSink = new Sink();
        direct = new DirectContext("src", new Check(), new DirectContext("check", directSink, null, false), false);
        hopsSink = new Sink();
        directWithHops = new DirectContext("src", new Check(), new DirectContext("check", hopsSink, null, true), true);

        // Not a timing check: each variant must deliver, and the routed one must record the hops.
        if (router().path().size() != msg.path().size() + HOPS || direct() != msg
                || directWithHops().path().size() != msg.path().size() + HOPS) {
            throw new IllegalStateException("chain did not deliver the message as expected");
        }
    }

    @TearDown
    public void tearDown() {
        router.close();
    }

    @Benchmark
    public FluxMsg direct() {
        direct.emit(Gear.PORT_OUT, msg);
        return directSink.last;
    }

    @Benchmark
    public FluxMsg directWithHops() {
        directWithHops.emit(Gear.PORT_OUT, msg);
        return hopsSink.last;
    }

    @Benchmark
    public FluxMsg router() {
        routed.context.emit(Gear.PORT_OUT, msg);
        return routedSink.last;
    }

    /** A source: emits only when the benchmark calls its context. */
    static final class Source implements Gear {
        volatile GearContext context;

        @Override
        public void open(GearContext c) {
            context = c;
        }

        @Override
        public void onMessage(String port, FluxMsg m, GearContext c) throws GearRejection {
            throw new GearRejection("a source has no input");
        }
    }

    /** Transform-like: validates two fields, then passes the message on unchanged. */
    static final class Check implements Gear {
        @Override
        public void onMessage(String port, FluxMsg m, GearContext c) throws GearRejection {
            BigDecimal amount = m.getDecimal("amount");
            if (amount == null || amount.signum() <= 0 || m.getString("card.scheme") == null) {
                throw new GearRejection("no amount or scheme");
            }
            c.emit(Gear.PORT_OUT, m);
        }
    }

    /** Keeps the last message (read by the benchmark, so nothing is optimised away). */
    static final class Sink implements Gear {
        FluxMsg last;
        long count;

        @Override
        public void onMessage(String port, FluxMsg m, GearContext c) {
            last = m;
            count++;
        }
    }

    /** The baseline's context: emit calls the next gear directly, optionally recording the hop. */
    private static final class DirectContext implements GearContext {
        private final String instance;
        private final Gear next;
        private final GearContext nextContext;
        private final boolean hops;

        DirectContext(String instance, Gear next, GearContext nextContext, boolean hops) {
            this.instance = instance;
            this.next = next;
            this.nextContext = nextContext;
            this.hops = hops;
        }

        @Override
        public String rack() {
            return RACK;
        }

        @Override
        public String instance() {
            return instance;
        }

        @Override
        public void emit(String port, FluxMsg m) {
            FluxMsg out = hops ? m.withHop(RACK, instance, FluxMsg.nowNanos()) : m;
            try {
                next.onMessage(Gear.PORT_IN, out, nextContext);
            } catch (GearRejection e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
