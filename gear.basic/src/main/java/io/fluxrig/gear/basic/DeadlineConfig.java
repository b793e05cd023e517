package io.fluxrig.gear.basic;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of one {@code deadline} gear instance (factory PID {@code fluxrig.gear.deadline}). */
@ObjectClassDefinition(
        name = "fluxrig gear: deadline",
        description = "Forwards requests, pairs each reply with its request, and gives up on a request after a timeout.")
public @interface DeadlineConfig {

    /** @return milliseconds a request waits for its reply before it is emitted on expired */
    @AttributeDefinition(name = "Timeout (ms)", description = "How long a request waits for its reply before it goes"
            + " to the expired port; keep it below the peer's own timeout so the peer gets that answer in time.", min = "1")
    long timeout_ms() default 4000L;

    /** @return requests waiting at most; beyond, a request is refused */
    @AttributeDefinition(name = "Max pending", description = "Requests waiting for a reply at most; a further one is"
            + " refused (error port), not forwarded.", min = "1")
    int max_pending() default 100_000;
}
