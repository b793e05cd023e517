package io.fluxrig.rack.itest.probe;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A test gear type {@code faulty}: passes a message on unless its data {@code fault} says
 * otherwise: {@code "reject"} throws a {@link GearRejection}, {@code "crash"} a RuntimeException,
 * {@code "error"} an Error (not a VirtualMachineError). The rack must isolate all three.
 */
@GearType(value = "faulty", in = Gear.PORT_IN, out = Gear.PORT_OUT, description = "Test gear that fails on demand")
@Component(service = Gear.class, configurationPid = "fluxrig.gear.faulty",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FaultyGear.Config.class, factory = true)
public class FaultyGear implements Gear {

    /** No settings: the message says how to fail. */
    @ObjectClassDefinition(name = "fluxrig test gear: faulty")
    public @interface Config {
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        String fault = msg.getString("fault");
        if ("reject".equals(fault)) {
            throw new GearRejection("field fault: asked to reject");
        }
        if ("crash".equals(fault)) {
            throw new IllegalStateException("asked to crash");
        }
        if ("error".equals(fault)) {
            throw new AssertionError("asked to throw an Error");
        }
        context.emit(PORT_OUT, msg);
    }
}
