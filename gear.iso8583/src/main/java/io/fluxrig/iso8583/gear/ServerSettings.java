package io.fluxrig.iso8583.gear;

import io.fluxrig.iso8583.Framing;

/**
 * The checked, immutable settings of one {@code iso8583.server} instance.
 *
 * @param host bind address
 * @param port TCP port (0 = any)
 * @param framing length prefix
 * @param headerBytes fixed header size
 * @param readTimeoutMs frame completion limit (0 = none)
 * @param idleTimeoutMs idle limit (0 = none)
 * @param maxFrameBytes largest header + message
 * @param maxConnections connection limit
 * @param maxPerAddress connection limit per peer IP address (0 = none)
 * @param reject the back-pressure decline builder, or null (reject.dialect empty: drop)
 */
record ServerSettings(String host, int port, Framing framing, int headerBytes, int readTimeoutMs, int idleTimeoutMs,
        int maxFrameBytes, int maxConnections, int maxPerAddress, BackPressureReply reject) {

    /**
     * @param c the configuration
     * @return the settings
     * @throws IllegalArgumentException naming the attribute that is out of range
     */
    static ServerSettings of(ServerConfig c) {
        Framing framing;
        try {
            framing = Framing.of(c.framing());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("iso8583.server config framing: " + e.getMessage(), e);
        }
        check(c.port() >= 0 && c.port() <= 65535, "port", "must be 0..65535", c.port());
        check(c.header_bytes() >= 0 && c.header_bytes() <= 64, "header.bytes", "must be 0..64", c.header_bytes());
        check(c.read_timeout_ms() >= 0, "read.timeout.ms", "must be 0 (none) or more", c.read_timeout_ms());
        check(c.idle_timeout_ms() >= 0, "idle.timeout.ms", "must be 0 (never) or more", c.idle_timeout_ms());
        check(c.max_frame_bytes() > c.header_bytes() && c.max_frame_bytes() <= framing.maxLength(), "max.frame.bytes",
                "must be above header.bytes and at most " + framing.maxLength() + " for " + framing.id(), c.max_frame_bytes());
        check(c.max_connections() >= 1, "max.connections", "must be at least 1", c.max_connections());
        check(c.max_connections_per_address() >= 0, "max.connections.per.address", "must be 0 (no limit) or more",
                c.max_connections_per_address());
        String host = c.host() == null || c.host().isBlank() ? "127.0.0.1" : c.host().trim();
        return new ServerSettings(host, c.port(), framing, c.header_bytes(), c.read_timeout_ms(), c.idle_timeout_ms(),
                c.max_frame_bytes(), c.max_connections(), c.max_connections_per_address(), BackPressureReply.of(c.reject_dialect(), c.reject_response_code()));
    }

    private static void check(boolean ok, String attribute, String rule, int value) {
        if (!ok) {
            throw new IllegalArgumentException("iso8583.server config " + attribute + ": " + rule + ", is " + value);
        }
    }
}
