package io.fluxrig.iso8583.gear;

import io.fluxrig.iso8583.Dialects;
import io.fluxrig.iso8583.Framing;
import io.fluxrig.iso8583.MessageSpec;
import java.util.HexFormat;

/**
 * The checked, immutable settings of one {@code iso8583.client} instance.
 *
 * @param host remote host
 * @param port remote port
 * @param framing length prefix
 * @param header fixed header sent before every request (may be empty)
 * @param spec the dialect
 * @param matchFields fields of the match key
 * @param responseTimeoutMs response limit
 * @param echoIntervalMs echo period, 0 = off
 * @param connectTimeoutMs connect limit
 * @param reconnectMinMs first reconnect delay
 * @param reconnectMaxMs longest reconnect delay
 * @param maxInflight in-flight limit
 * @param maxFrameBytes largest response frame
 */
record ClientSettings(String host, int port, Framing framing, byte[] header, MessageSpec spec, int[] matchFields, int responseTimeoutMs,
        int echoIntervalMs, int connectTimeoutMs, int reconnectMinMs, int reconnectMaxMs, int maxInflight, int maxFrameBytes) {

    /**
     * @param c the configuration
     * @return the settings
     * @throws IllegalArgumentException naming the attribute that is wrong
     */
    static ClientSettings of(ClientConfig c) {
        Framing framing;
        byte[] header;
        try {
            framing = Framing.of(c.framing());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("iso8583.client config framing: " + e.getMessage(), e);
        }
        try {
            header = HexFormat.of().parseHex(c.header() == null ? "" : c.header().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("iso8583.client config header: not hex: " + e.getMessage(), e);
        }
        MessageSpec spec = Dialects.builtIn(c.dialect());
        int[] match = c.match_fields() == null ? new int[0] : c.match_fields().clone();
        if (match.length == 0) {
            throw new IllegalArgumentException("iso8583.client config match.fields: at least one field is needed");
        }
        for (int f : match) {
            if (spec.field(f) == null) {
                throw new IllegalArgumentException("iso8583.client config match.fields: " + f + " is not a field of " + spec.name());
            }
        }
        check(c.port() >= 1 && c.port() <= 65535, "port", "must be 1..65535", c.port());
        check(c.response_timeout_ms() >= 1, "response.timeout.ms", "must be at least 1", c.response_timeout_ms());
        check(c.echo_interval_ms() >= 0, "echo.interval.ms", "must be 0 (off) or more", c.echo_interval_ms());
        check(c.connect_timeout_ms() >= 1, "connect.timeout.ms", "must be at least 1", c.connect_timeout_ms());
        check(c.reconnect_min_ms() >= 1, "reconnect.min.ms", "must be at least 1", c.reconnect_min_ms());
        check(c.reconnect_max_ms() >= c.reconnect_min_ms(), "reconnect.max.ms", "must be at least reconnect.min.ms", c.reconnect_max_ms());
        check(c.max_inflight() >= 1, "max.inflight", "must be at least 1", c.max_inflight());
        check(c.max_frame_bytes() > header.length && c.max_frame_bytes() <= framing.maxLength(), "max.frame.bytes",
                "must be above the header length and at most " + framing.maxLength(), c.max_frame_bytes());
        String host = c.host() == null || c.host().isBlank() ? "127.0.0.1" : c.host().trim();
        return new ClientSettings(host, c.port(), framing, header, spec, match, c.response_timeout_ms(), c.echo_interval_ms(),
                c.connect_timeout_ms(), c.reconnect_min_ms(), c.reconnect_max_ms(), c.max_inflight(), c.max_frame_bytes());
    }

    private static void check(boolean ok, String attribute, String rule, int value) {
        if (!ok) {
            throw new IllegalArgumentException("iso8583.client config " + attribute + ": " + rule + ", is " + value);
        }
    }

    String address() {
        return host + ":" + port;
    }
}
