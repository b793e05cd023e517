package io.fluxrig.gear.basic;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of one {@code timer} gear instance (factory PID {@code fluxrig.gear.timer}). */
@ObjectClassDefinition(
        name = "fluxrig gear: timer",
        description = "A source that emits a numbered message (data seq, at, text) every interval.")
public @interface TimerConfig {

    /** @return milliseconds between two messages */
    @AttributeDefinition(name = "Interval (ms)", description = "Milliseconds between two messages; at least 1.",
            min = "1")
    long interval_ms() default 1000L;

    /** @return how many messages to emit, 0 for no limit */
    @AttributeDefinition(name = "Count", description = "How many messages to emit in total; 0 emits forever.",
            min = "0")
    long count() default 0L;

    /** @return text copied into every message's data key {@code text}; empty for none */
    @AttributeDefinition(name = "Text", description = "Copied into data 'text' of every message; empty adds no text.")
    String text() default "";
}
