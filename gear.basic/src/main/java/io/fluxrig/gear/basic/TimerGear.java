package io.fluxrig.gear.basic;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code timer} gear: a source that emits a numbered message on {@code out} every
 * {@code interval.ms}. One instance per factory configuration {@code fluxrig.gear.timer~NAME}.
 *
 * <p>Threading: the rack calls {@link #open} and {@link #close} (never concurrently); each open
 * starts one {@link TimerTicker} that owns its own scheduler thread, and the matching close stops
 * it. {@code ticker} is guarded by {@code this}.
 */
@GearType(value = "timer", in = {}, out = Gear.PORT_OUT,
        description = "Emits data seq (from 1), at (ISO-8601) and text every interval.ms")
@Component(configurationPid = "fluxrig.gear.timer", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=timer")
@Designate(ocd = TimerConfig.class, factory = true)
public class TimerGear implements Gear {
    private final long intervalMs;
    private final long count;
    private final String text;
    private TimerTicker ticker;

    /**
     * Copies and checks the configuration; starts nothing (the scheduler starts in {@link #open}).
     *
     * @param config the instance configuration
     * @throws IllegalArgumentException naming the attribute when a value is out of range
     */
    @Activate
    public TimerGear(TimerConfig config) {
        if (config.interval_ms() < 1) {
            throw new IllegalArgumentException("timer config interval.ms: must be at least 1, is "
                    + config.interval_ms());
        }
        if (config.count() < 0) {
            throw new IllegalArgumentException("timer config count: must be 0 (forever) or more, is "
                    + config.count());
        }
        this.intervalMs = config.interval_ms();
        this.count = config.count();
        this.text = config.text() == null || config.text().isEmpty() ? null : config.text();
    }

    @Override
    public synchronized void open(GearContext context) {
        if (ticker != null) {
            ticker.stop();
        }
        ticker = new TimerTicker(context, intervalMs, count, text);
        ticker.start();
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) throws GearRejection {
        throw new GearRejection("timer " + context.instance() + " has no input port '" + port + "'");
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.stop();
            ticker = null;
        }
    }

    /** Stops the scheduler if the rack did not close this instance first (the rack went away). */
    @Deactivate
    void deactivate() {
        close();
    }
}
