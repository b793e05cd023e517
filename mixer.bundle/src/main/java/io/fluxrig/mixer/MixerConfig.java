package io.fluxrig.mixer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Tunables of the Mixer (PID {@code fluxrig.mixer}); bootstrap values are framework properties. */
@ObjectClassDefinition(name = "fluxrig Mixer", description = "Rack certificates and the offline rule.")
public @interface MixerConfig {
    /** @return lifetime of issued rack certificates */
    @AttributeDefinition(name = "Rack certificate lifetime (days)", min = "1")
    int rack_cert_days() default 30;

    /** @return missed heartbeat periods before a rack is marked offline */
    @AttributeDefinition(name = "Offline after (heartbeat periods)", min = "1")
    int offline_after_periods() default 3;

    /** @return how often the offline rule runs */
    @AttributeDefinition(name = "Offline sweep interval (ms)", min = "10")
    long sweep_interval_ms() default 1000;
}
