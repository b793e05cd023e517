package io.fluxrig.wire.jetstream;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One JetStream stream holding some wires (factory PID {@code fluxrig.wire.stream}), and how
 * those wires are consumed. Racks provisioning the same stream must use the same values.
 */
@ObjectClassDefinition(name = "fluxrig wire: stream",
        description = "A JetStream stream holding the named wires (subjects fluxrig.wire.<wire>), provisioned idempotently.")
public @interface StreamConfig {

    @AttributeDefinition(name = "Stream name", description = "JetStream stream name: letters, digits, '-' and '_'.")
    String name();

    @AttributeDefinition(name = "Wires", description = "Wire names held by this stream; NATS wildcards allowed ('payments.*', 'payments.>').")
    String[] wires();

    @AttributeDefinition(name = "Storage", options = {@Option(label = "file", value = "file"), @Option(label = "memory", value = "memory")})
    String storage() default "file";

    @AttributeDefinition(name = "Replicas", description = "1 on a single server; 3 or 5 in a cluster.", min = "1", max = "5")
    int replicas() default 1;

    @AttributeDefinition(name = "Max age (s)", description = "0: no age limit.", min = "0")
    long max_age_s() default 604800L;

    @AttributeDefinition(name = "Max bytes", description = "-1: no limit.", min = "-1")
    long max_bytes() default -1L;

    @AttributeDefinition(name = "Max messages", description = "-1: no limit.", min = "-1")
    long max_msgs() default -1L;

    @AttributeDefinition(name = "Duplicate window (s)", description = "Nats-Msg-Id deduplication window; at most the max age.", min = "1")
    long duplicate_window_s() default 120L;

    @AttributeDefinition(name = "Discard policy", description = "When a limit is reached: drop the oldest messages, or refuse new ones (publishers feel back-pressure).",
            options = {@Option(label = "old", value = "old"), @Option(label = "new", value = "new")})
    String discard() default "old";

    @AttributeDefinition(name = "Ordered", description = "Strict order: one delivery in flight per subscription.")
    boolean ordered() default false;

    @AttributeDefinition(name = "Max in flight", description = "Deliveries handled at once per subscription (ignored when ordered).", min = "1")
    int max_in_flight() default 16;

    @AttributeDefinition(name = "Ack wait (ms)", min = "100")
    long ack_wait_ms() default 30000L;

    @AttributeDefinition(name = "Max deliver", description = "Deliveries before a message is dead-lettered to <wire>.dlq.", min = "1")
    int max_deliver() default 5;

    @AttributeDefinition(name = "Nak delay on exception (ms)", description = "Redelivery delay when a handler throws instead of naking.", min = "0")
    long nak_delay_ms() default 1000L;
}
