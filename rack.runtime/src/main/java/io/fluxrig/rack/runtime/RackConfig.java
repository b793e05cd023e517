package io.fluxrig.rack.runtime;

import io.fluxrig.snake.api.RackNames;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The rack's own configuration (PID {@value #PID}), as {@code etc/io.fluxrig.rack.cfg} in the
 * rack's folder; the Web Console shows and edits it. Every default here equals
 * {@link RackSettings}' default, which applies when the attribute is absent.
 */
@ObjectClassDefinition(id = RackConfig.PID, pid = RackConfig.PID, name = "fluxrig rack",
        description = "The rack's name, patch file and routing limits. A change restarts the rack's runtime components.")
@interface RackConfig {
    /** The configuration PID. */
    String PID = "io.fluxrig.rack";

    @AttributeDefinition(name = "Name", description = "The rack's name: " + RackNames.RULE + "; the Mixer knows the rack by it")
    String name() default "rack";

    @AttributeDefinition(name = "Patch file", required = false,
            description = "The patch the rack runs; empty: patch.yaml in the rack's folder (where apply-patch writes)")
    String patch() default "";

    @AttributeDefinition(name = "Console URL", required = false, description = "Printed in the readiness line and rack.ready; "
            + "empty: from Felix HTTP's host and port (configuration org.apache.felix.http)")
    String console_url() default "";

    @AttributeDefinition(name = "Buffer capacity (messages)", min = "1",
            description = "Messages that may wait per inlet or wire outlet")
    int buffer_capacity() default 10_000;

    @AttributeDefinition(name = "Back-pressure wait (ms)", min = "0", description = "How long a full buffer blocks an emit")
    long backpressure_ms() default 5_000;

    @AttributeDefinition(name = "Start grace (ms)", min = "0", description = "How long unknown gear types are waited for at start")
    long grace_ms() default 15_000;

    @AttributeDefinition(name = "Deferred delivery timeout (ms)", min = "1",
            description = "How long a deferred wire delivery may stay open before it is naked")
    long defer_timeout_ms() default 20_000;
}
