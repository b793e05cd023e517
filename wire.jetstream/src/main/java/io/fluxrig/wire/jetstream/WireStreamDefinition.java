package io.fluxrig.wire.jetstream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One {@code fluxrig.wire.stream} factory configuration, checked at activation and offered to
 * {@link JetStreamWireTransport} as a service private to this bundle. Immutable.
 */
@Component(service = WireStreamDefinition.class, configurationPid = "fluxrig.wire.stream",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = StreamConfig.class, factory = true)
public final class WireStreamDefinition {
    private final StreamSpec spec;

    /**
     * @param config the stream configuration
     * @throws IllegalArgumentException naming the attribute when a value is invalid
     */
    @Activate
    public WireStreamDefinition(StreamConfig config) {
        this.spec = StreamSpec.from(config);
    }

    StreamSpec spec() {
        return spec;
    }
}
