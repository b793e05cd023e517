package io.fluxrig.wire.jetstream;

import java.time.Duration;
import java.util.List;

/**
 * The transport's settings, copied from {@link JetStreamConfig} (or built by tests). Immutable.
 *
 * @param defaults the template of a default stream (name and wires replaced per wire)
 */
record TransportSettings(List<String> servers, String connectionName, Duration reconnectWait,
        Duration reconnectMaxWait, Duration ackTimeout, StreamSpec defaults) {

    TransportSettings {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers: at least one NATS URL is needed");
        }
    }

    static TransportSettings from(JetStreamConfig c) {
        ConsumerSpec consumer = new ConsumerSpec(false, c.default_max_in_flight(), Duration.ofMillis(c.default_ack_wait_ms()),
                c.default_max_deliver(), Duration.ofMillis(c.nak_delay_ms()));
        StreamSpec defaults = new StreamSpec("WIRE_default", List.of("default"), StreamSpec.storage(c.default_storage()), 1,
                Duration.ofSeconds(c.default_max_age_s()), -1, -1, Duration.ofSeconds(c.default_duplicate_window_s()),
                StreamSpec.discard("old"), consumer);
        return new TransportSettings(c.servers() == null ? List.of() : List.of(c.servers()), c.connection_name(),
                Duration.ofMillis(c.reconnect_wait_ms()), Duration.ofMillis(c.reconnect_max_wait_ms()),
                Duration.ofMillis(c.ack_timeout_ms()), defaults);
    }
}
