package io.fluxrig.gear.basic;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code transform} gear: applies the configured {@link FieldOps} to each message from
 * {@code in} and emits the result on {@code out}. Stateless after activation, so concurrent
 * {@link #onMessage} calls need no locking.
 */
@GearType(value = "transform", in = Gear.PORT_IN, out = Gear.PORT_OUT,
        description = "Declarative field operations: set, meta, copy, remove, upper")
@Component(configurationPid = "fluxrig.gear.transform", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=transform")
@Designate(ocd = TransformConfig.class, factory = true)
public class TransformGear implements Gear {
    private final FieldOps ops;

    /**
     * @param config the instance configuration
     * @throws IllegalArgumentException naming the attribute when an entry is malformed, which
     *     fails the activation (SCR logs it)
     */
    @Activate
    public TransformGear(TransformConfig config) {
        this.ops = FieldOps.parse(config.set(), config.meta(), config.copy(), config.remove(), config.upper());
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        context.emit(PORT_OUT, ops.apply(msg));
    }
}
