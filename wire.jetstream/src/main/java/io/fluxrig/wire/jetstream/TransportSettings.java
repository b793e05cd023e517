package io.fluxrig.wire.jetstream;

import io.fluxrig.nats.trust.NatsUrls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The transport's settings, copied from {@link JetStreamConfig} (or built by tests). Immutable.
 *
 * @param servers NATS URLs; an entry may be a comma-separated list (a cfg file line
 *     {@code servers=nats://a:4222,nats://b:4222} arrives as one string): split into one URL each
 * @param defaults the template of a default stream (name and wires replaced per wire)
 * @param credentials the NATS creds file (user JWT and nkey seed), or null to connect without
 *     (only a server without authentication accepts that)
 * @param tlsCa the PEM file of the CA the servers' certificates chain to: every connection is then
 *     TLS verified against it (chain, serverAuth, the URL's host); null: the URL scheme decides
 *     ({@code tls://} with the JVM's trust store, {@code nats://} plaintext)
 */
record TransportSettings(List<String> servers, String connectionName, Duration reconnectWait,
        Duration reconnectMaxWait, Duration ackTimeout, StreamSpec defaults, Path credentials, Path tlsCa) {

    /** @throws IllegalArgumentException when no URL is given or a URL holds credentials (named redacted) */
    TransportSettings {
        servers = split(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers: at least one NATS URL is needed");
        }
        servers.forEach(NatsUrls::requireNoCredentials);
    }

    /** Settings without a creds file or CA. */
    TransportSettings(List<String> servers, String connectionName, Duration reconnectWait, Duration reconnectMaxWait,
            Duration ackTimeout, StreamSpec defaults) {
        this(servers, connectionName, reconnectWait, reconnectMaxWait, ackTimeout, defaults, null, null);
    }

    /** Settings without a CA. */
    TransportSettings(List<String> servers, String connectionName, Duration reconnectWait, Duration reconnectMaxWait,
            Duration ackTimeout, StreamSpec defaults, Path credentials) {
        this(servers, connectionName, reconnectWait, reconnectMaxWait, ackTimeout, defaults, credentials, null);
    }

    static TransportSettings from(JetStreamConfig c) {
        ConsumerSpec consumer = new ConsumerSpec(false, c.default_max_in_flight(), Duration.ofMillis(c.default_ack_wait_ms()),
                c.default_max_deliver(), Duration.ofMillis(c.nak_delay_ms()));
        StreamSpec defaults = new StreamSpec("WIRE_default", List.of("default"), StreamSpec.storage(c.default_storage()), c.default_replicas(),
                Duration.ofSeconds(c.default_max_age_s()), -1, -1, Duration.ofSeconds(c.default_duplicate_window_s()),
                StreamSpec.discard("old"), consumer);
        return new TransportSettings(c.servers() == null ? List.of() : List.of(c.servers()), c.connection_name(),
                Duration.ofMillis(c.reconnect_wait_ms()), Duration.ofMillis(c.reconnect_max_wait_ms()),
                Duration.ofMillis(c.ack_timeout_ms()), defaults,
                file(c.credentials_file()), file(c.tls_ca_file()));
    }

    /** @return the path, or null for an empty setting */
    private static Path file(String setting) {
        return setting == null || setting.isBlank() ? null : Path.of(setting.trim());
    }

    /** @return every URL of the entries, each entry split at commas and trimmed, empty parts dropped, in order */
    static List<String> split(List<String> entries) {
        List<String> urls = new ArrayList<>();
        for (String entry : entries) {
            for (String url : entry.split(",")) {
                if (!url.isBlank()) {
                    urls.add(url.trim());
                }
            }
        }
        return List.copyOf(urls);
    }
}
