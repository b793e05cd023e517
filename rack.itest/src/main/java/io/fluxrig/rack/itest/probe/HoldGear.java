package io.fluxrig.rack.itest.probe;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A test gear type {@code hold}: passes messages from {@code in} to {@code out}, except while a
 * test holds it: then it keeps them (a request in flight, as on a wire to another rack) until
 * {@link #release()} emits them, in order, on the test's thread. Guarded by {@code this}.
 */
@GearType(value = "hold", in = Gear.PORT_IN, out = Gear.PORT_OUT, description = "Test gear: passes messages on, or holds them until released")
@Component(service = {Gear.class, HoldGear.class}, configurationPid = "fluxrig.gear.hold", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HoldGear.Config.class, factory = true)
public class HoldGear implements Gear {

    /** No settings: tests drive it. */
    @ObjectClassDefinition(name = "fluxrig test gear: hold")
    public @interface Config {
    }

    private final List<FluxMsg> held = new ArrayList<>();
    private boolean holding;
    private GearContext context;

    @Override
    public synchronized void open(GearContext ctx) {
        context = ctx;
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext ctx) {
        synchronized (this) {
            if (holding) {
                held.add(msg);
                return;
            }
        }
        ctx.emit(PORT_OUT, msg);
    }

    /** Keeps every message from now on. */
    public synchronized void hold() {
        holding = true;
    }

    /** @return how many messages are held */
    public synchronized int held() {
        return held.size();
    }

    /** Stops holding and emits what was held, in order. */
    public void release() {
        List<FluxMsg> out;
        GearContext ctx;
        synchronized (this) {
            holding = false;
            out = List.copyOf(held);
            held.clear();
            ctx = context;
        }
        out.forEach(m -> ctx.emit(PORT_OUT, m));
    }

    @Override
    public synchronized void close() {
        context = null;
    }
}
