package io.fluxrig.iso8583;

import java.io.IOException;

/**
 * A TCP frame could not be read: a malformed or out-of-range length prefix, a sender too slow to
 * complete a frame, or a connection idle for too long. The message states the reason without any
 * frame content, e.g. {@code frame length 70000 exceeds max.frame.bytes 8192}; the connection it
 * happened on cannot be used any more (the stream position is lost) and must be closed.
 */
public class FramingException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param reason what was wrong, safe to log */
    public FramingException(String reason) {
        super(reason);
    }
}
