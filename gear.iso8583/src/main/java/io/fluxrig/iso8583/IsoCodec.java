package io.fluxrig.iso8583;

import io.fluxrig.iso8583.internal.MessageCodec;
import java.util.Objects;

/**
 * Decodes and encodes ISO 8583 messages of one dialect. For every byte array that
 * {@link #decode} accepts, {@link #encode} of the result returns the same bytes; decode accepts
 * only canonical input (upper-case hex, declared pad nibbles, no empty extra bitmap, no trailing
 * bytes) for that reason. Any other input gives an {@link IsoException} naming the field, the
 * offset and the reason, never an unchecked exception, and memory stays proportional to the
 * input (lengths are checked against what is left before anything is allocated).
 *
 * <p>Immutable and thread-safe: one instance may serve every thread.
 */
public final class IsoCodec {
    private final MessageSpec spec;

    private IsoCodec(MessageSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /**
     * @param spec the dialect
     * @return a codec for it
     */
    public static IsoCodec of(MessageSpec spec) {
        return new IsoCodec(spec);
    }

    /** @return the dialect */
    public MessageSpec spec() {
        return spec;
    }

    /**
     * @param bytes exactly one message
     * @return the message
     * @throws IsoException naming field, offset and reason
     */
    public IsoMessage decode(byte[] bytes) throws IsoException {
        return MessageCodec.decode(spec, bytes, 0, bytes.length);
    }

    /**
     * @param bytes a buffer
     * @param offset where the message starts
     * @param length its length; offsets in errors count from {@code offset}
     * @return the message
     * @throws IsoException naming field, offset and reason
     */
    public IsoMessage decode(byte[] bytes, int offset, int length) throws IsoException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return MessageCodec.decode(spec, bytes, offset, length);
    }

    /**
     * @param msg the message
     * @return its bytes
     * @throws IsoException naming the field and the reason (never the value)
     */
    public byte[] encode(IsoMessage msg) throws IsoException {
        return MessageCodec.encode(spec, msg);
    }
}
