package io.fluxrig.iso8583.gear;

/**
 * Why a server connection closed on an error, as a fixed word for metrics: the reason texts name
 * lengths, bytes and settings, which must not become label values. Stateless.
 */
final class FramingErrors {
    /** The kinds, each with its label. */
    enum Kind {
        LENGTH_PREFIX("malformed_length_prefix"),
        ZERO_LENGTH("zero_length_frame"),
        TOO_LONG("frame_too_long"),
        NO_MESSAGE("frame_without_message"),
        IDLE_TIMEOUT("idle_timeout"),
        READ_TIMEOUT("read_timeout"),
        IO("io_error");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private FramingErrors() {
    }

    /** @return the kind of a connection's close reason (the texts of {@code Framing} and {@code FrameReader}) */
    static Kind of(String reason) {
        if (reason.startsWith("malformed length prefix")) {
            return Kind.LENGTH_PREFIX;
        }
        if (reason.startsWith("zero-length frame")) {
            return Kind.ZERO_LENGTH;
        }
        if (reason.startsWith("frame length") && reason.contains("exceeds")) {
            return Kind.TOO_LONG;
        }
        if (reason.startsWith("frame length")) {
            return Kind.NO_MESSAGE;
        }
        if (reason.startsWith("idle for")) {
            return Kind.IDLE_TIMEOUT;
        }
        if (reason.startsWith("trickling sender")) {
            return Kind.READ_TIMEOUT;
        }
        return Kind.IO;
    }
}
