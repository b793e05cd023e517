package io.fluxrig.rack.itest.probe;

import io.fluxrig.gear.BackPressureException;
import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A test gear type {@code pushback}: a downstream that is full for some messages. A message whose
 * raw bytes contain {@code marker} is refused with {@link BackPressureException}, as a rack's
 * full link buffer or an unreachable wire refuses it; every other message is passed on. Lets a
 * test choose which request meets back-pressure, on which connection.
 */
@GearType(value = "pushback", in = Gear.PORT_IN, out = Gear.PORT_OUT,
        description = "Test gear: refuses messages whose raw bytes contain a marker with BackPressureException")
@Component(service = Gear.class, configurationPid = "fluxrig.gear.pushback", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PushbackGear.Config.class, factory = true)
public class PushbackGear implements Gear {

    /** Which messages meet back-pressure. */
    @ObjectClassDefinition(name = "fluxrig test gear: pushback")
    public @interface Config {
        /** @return ASCII text; a message whose raw bytes contain it is refused */
        String marker() default "PUSHBACK";
    }

    private final byte[] marker;

    /** @param config the marker */
    @Activate
    public PushbackGear(Config config) {
        this.marker = config.marker().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) {
        Bytes raw = msg.raw();
        if (raw != null && contains(raw.toByteArray(), marker)) {
            throw new BackPressureException("gear " + context.instance() + ": downstream full (test pushback)");
        }
        context.emit(PORT_OUT, msg);
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
