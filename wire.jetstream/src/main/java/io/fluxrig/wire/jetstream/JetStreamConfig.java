package io.fluxrig.wire.jetstream;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the JetStream wire transport (PID {@code fluxrig.wire.jetstream}): the
 * connection, the publish ack timeout, and the defaults for wires no {@code fluxrig.wire.stream}
 * configuration names. Buffering, the publish window and retries are the rack's (WireOutlet),
 * configured with the rack.
 */
@ObjectClassDefinition(name = "fluxrig wire: JetStream transport",
        description = "Persistent wires on NATS JetStream: connection, publishing and the default stream of unconfigured wires.")
public @interface JetStreamConfig {

    @AttributeDefinition(name = "Servers", description = "NATS server URLs, each value one URL or a comma-separated list (the servers of a cluster); the client connects and reconnects to any of them, forever.")
    String[] servers() default "nats://127.0.0.1:4222";

    @AttributeDefinition(name = "Credentials file", description = "NATS creds file (user JWT and nkey seed, mode 0600) the "
            + "rack authenticates with; empty connects without authentication, which only a development server without "
            + "authentication accepts. Never put credentials in a server URL: such a URL is refused.")
    String credentials_file() default "";

    @AttributeDefinition(name = "TLS CA file", description = "PEM file of the CA that signed the NATS servers' "
            + "certificates (fluxrig's own NATS servers: <nats data>/tls/ca.crt). When set, every connection is TLS (TLS 1.3 "
            + "offered), trusts only this CA and requires the server's certificate to name the host or IP address in the URL; "
            + "a server without TLS is refused. Empty: tls:// URLs use the JVM's trust store, nats:// URLs are plaintext, which "
            + "a TLS server refuses.")
    String tls_ca_file() default "";

    @AttributeDefinition(name = "Connection name", description = "Shown by the server (connz); the rack name is a good choice.")
    String connection_name() default "fluxrig";

    @AttributeDefinition(name = "Reconnect wait (ms)", description = "First wait between reconnect attempts; doubles up to the backoff limit.", min = "10")
    long reconnect_wait_ms() default 250L;

    @AttributeDefinition(name = "Reconnect backoff limit (ms)", description = "Longest wait between reconnect attempts.", min = "10")
    long reconnect_max_wait_ms() default 4000L;

    @AttributeDefinition(name = "Ack timeout (ms)", description = "How long one publish waits for JetStream's acknowledgement before it fails; the rack then sends it again with the same Nats-Msg-Id (deduplicated).", min = "100")
    long ack_timeout_ms() default 2000L;

    @AttributeDefinition(name = "Default storage", description = "Storage of the stream created for an unconfigured wire.",
            options = {@Option(label = "file", value = "file"), @Option(label = "memory", value = "memory")})
    String default_storage() default "file";

    @AttributeDefinition(name = "Default replicas", description = "Replicas of the stream created for an unconfigured wire: 1 on a single server, 3 (or 5) on a cluster.", min = "1", max = "5")
    int default_replicas() default 1;

    @AttributeDefinition(name = "Default max age (s)", description = "Max age of messages in a default stream; 0 keeps them without age limit.", min = "0")
    long default_max_age_s() default 604800L;

    @AttributeDefinition(name = "Default duplicate window (s)", description = "Nats-Msg-Id deduplication window of a default stream.", min = "1")
    long default_duplicate_window_s() default 120L;

    @AttributeDefinition(name = "Default consumer max in flight", description = "Deliveries handled at once per subscription (pull batch and max ack pending).", min = "1")
    int default_max_in_flight() default 16;

    @AttributeDefinition(name = "Default ack wait (ms)", description = "Redelivery after this long without ack or nak.", min = "100")
    long default_ack_wait_ms() default 30000L;

    @AttributeDefinition(name = "Default max deliver", description = "Deliveries before a message is dead-lettered to <wire>.dlq.", min = "1")
    int default_max_deliver() default 5;

    @AttributeDefinition(name = "Nak delay on exception (ms)", description = "Redelivery delay when a handler throws instead of naking.", min = "0")
    long nak_delay_ms() default 1000L;
}
