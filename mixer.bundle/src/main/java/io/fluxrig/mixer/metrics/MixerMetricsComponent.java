package io.fluxrig.mixer.metrics;

import io.opentelemetry.api.metrics.MeterProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Puts the running Mixer's {@link MixerInstruments} on the meter provider rack.telemetry publishes
 * (the same SDK, {@code /metrics} endpoint and bearer token file as a rack's). Active while both
 * services are there: the instruments from the Mixer's start thread once it runs, the provider
 * while metrics are on. Activation only registers instruments (no I/O); deactivation closes them.
 */
@Component(immediate = true)
public final class MixerMetricsComponent {
    private final AutoCloseable registered;

    /**
     * @param meters rack.telemetry's meter provider
     * @param instruments the running Mixer's instruments
     */
    @Activate
    public MixerMetricsComponent(@Reference MeterProvider meters, @Reference MixerInstruments instruments) {
        this.registered = instruments.register(meters.get(MixerInstruments.SCOPE));
    }

    @Deactivate
    void deactivate() throws Exception {
        registered.close();
    }
}
