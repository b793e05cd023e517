package io.fluxrig.rack.itest.probe;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A test gear type {@code probe}: records every message it receives, for the in-framework tests
 * to read (they look the instance up as a service by its {@code fluxrig.gear.instance}).
 * Thread-safe: the recording list is copy-on-write.
 */
@GearType(value = "probe", in = {Gear.PORT_IN}, out = {}, description = "Test sink that records messages")
@Component(service = {Gear.class, ProbeSink.class}, configurationPid = "fluxrig.gear.probe",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ProbeSink.Config.class, factory = true)
public class ProbeSink implements Gear {

    /** No settings: a probe only records. */
    @ObjectClassDefinition(name = "fluxrig test gear: probe")
    public @interface Config {
    }

    private final List<FluxMsg> received = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) {
        received.add(msg);
    }

    /** @return the messages received so far, oldest first */
    public List<FluxMsg> received() {
        return List.copyOf(received);
    }
}
