package io.fluxrig.gear.basic;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearContext;
import io.fluxrig.gear.GearType;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.SensitiveData;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code log} gear: a sink that logs each message from {@code in} at info level as one line
 * ({@code instance #count id data}) and counts them. Card data in the data (including EMV tags
 * 5A and 57 in field 55) is masked by fluxrig's one rule set, {@link SensitiveData}; meta is not
 * logged. Thread-safe: the only mutable state is a {@link LongAdder}.
 */
@GearType(value = "log", in = Gear.PORT_IN, out = {}, description = "Logs every message at info level")
@Component(configurationPid = "fluxrig.gear.log", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Gear.class, property = Gear.TYPE + "=log")
@Designate(ocd = LogConfig.class, factory = true)
public class LogGear implements Gear {
    private static final Logger LOG = LoggerFactory.getLogger(LogGear.class);

    private final int maxChars;
    private final LongAdder count = new LongAdder();

    /**
     * @param config the instance configuration
     * @throws IllegalArgumentException when max.chars is below 16
     */
    @Activate
    public LogGear(LogConfig config) {
        if (config.max_chars() < 16) {
            throw new IllegalArgumentException("log config max.chars: must be at least 16, is " + config.max_chars());
        }
        this.maxChars = config.max_chars();
    }

    @Override
    public void onMessage(String port, FluxMsg msg, GearContext context) {
        count.increment();
        if (LOG.isInfoEnabled()) {
            LOG.info("{} #{} {} {}", context.instance(), count.sum(), msg.id(),
                    CompactText.render(SensitiveData.masked(msg.data()), maxChars));
        }
    }

    /** @return how many messages this instance has logged since activation */
    long count() {
        return count.sum();
    }
}
