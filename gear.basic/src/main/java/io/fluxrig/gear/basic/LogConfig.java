package io.fluxrig.gear.basic;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of one {@code log} gear instance (factory PID {@code fluxrig.gear.log}). */
@ObjectClassDefinition(
        name = "fluxrig gear: log",
        description = "A sink that logs every message at info level as one line.")
public @interface LogConfig {

    /** @return the longest data text written per line; longer text is cut and marked */
    @AttributeDefinition(name = "Max characters", description = "The longest data text logged per message; longer text is cut and ends with '...'. At least 16.",
            min = "16")
    int max_chars() default 2000;
}
