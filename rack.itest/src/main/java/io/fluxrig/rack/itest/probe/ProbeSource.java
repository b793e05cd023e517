package io.fluxrig.rack.itest.probe;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A test gear type {@code probe-source}: a source that emits only when a test calls
 * {@link #emit(FluxMsg)}, on the test's thread, through the context the rack opened it with.
 */
@GearType(value = "probe-source", in = {}, out = {Gear.PORT_OUT}, description = "Test source driven by tests")
@Component(service = {Gear.class, ProbeSource.class}, configurationPid = "fluxrig.gear.probe-source",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ProbeSource.Config.class, factory = true)
public class ProbeSource implements Gear {

    /** No settings: tests drive it. */
    @ObjectClassDefinition(name = "fluxrig test gear: probe-source")
    public @interface Config {
    }

    private volatile GearContext context;

    @Override
    public void open(GearContext ctx) {
        this.context = ctx;
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext ctx) {
        throw new IllegalStateException("a source has no input");
    }

    @Override
    public void close() {
        context = null;
    }

    /** @return whether the rack has opened this source */
    public boolean isOpen() {
        return context != null;
    }

    /**
     * Emits on {@code out}, synchronously through the chain.
     *
     * @param msg the message
     */
    public void emit(FluxMsg msg) {
        GearContext ctx = context;
        if (ctx == null) {
            throw new IllegalStateException("probe-source not opened by the rack");
        }
        ctx.emit(Gear.PORT_OUT, msg);
    }
}
