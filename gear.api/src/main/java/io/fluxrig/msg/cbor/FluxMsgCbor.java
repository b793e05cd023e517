package io.fluxrig.msg.cbor;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.fluxrig.msg.FluxMsg;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The deterministic CBOR codec for {@link FluxMsg} (layout in the package description).
 *
 * <p>Equal messages always encode to the same bytes, and {@link #decode(byte[])} accepts only
 * bytes in exactly that form: any other encoding of the same content (a longer head, an
 * indefinite length, keys out of order, a wider float, ...) is refused with a
 * {@link CborException} naming the byte offset and the reason. Decoding never throws an
 * unchecked exception for bad input, never recurses deeper than {@link CborLimits#maxDepth()}
 * and never allocates more than a small multiple of the input size.
 *
 * <p>Instances are immutable and thread-safe; share one. Built on Jackson's
 * {@code CBORGenerator} for output (see {@code CborEncoder} for which items Jackson writes and
 * which are written as pre-encoded bytes, and why); the decoder is hand-written, because
 * Jackson's parser accepts every encoding form and hides which one it saw.
 */
public final class FluxMsgCbor {
    private static final FluxMsgCbor DEFAULT = new FluxMsgCbor(CborLimits.DEFAULT);

    private final CborLimits limits;
    private final CborEncoder encoder;
    private final DeterministicGenerator.Factory factory = new DeterministicGenerator.Factory();

    private FluxMsgCbor(CborLimits limits) {
        this.limits = limits;
        this.encoder = new CborEncoder(limits.maxDepth());
    }

    /** @return a codec with {@link CborLimits#DEFAULT} limits */
    public static FluxMsgCbor standard() {
        return DEFAULT;
    }

    /** @param limits decoding limits @return a codec with those limits */
    public static FluxMsgCbor withLimits(CborLimits limits) {
        return new FluxMsgCbor(Objects.requireNonNull(limits, "limits"));
    }

    /** @return this codec's limits */
    public CborLimits limits() {
        return limits;
    }

    /**
     * @param msg the message
     * @return its deterministic CBOR encoding
     * @throws IllegalArgumentException when the message cannot be encoded so that it decodes
     *     again: text with an unpaired surrogate, or data nested deeper than the limit
     */
    public byte[] encode(FluxMsg msg) {
        // As Jackson's own ObjectMapper.writeValueAsBytes: output collected in a ByteArrayBuilder
        // whose blocks come from Jackson's buffer recycler (its pool, thread-local by default,
        // holds a few buffers per thread), then one exact copy out. A ByteArrayOutputStream(256)
        // would grow three times for a typical 1.5 KB envelope.
        BufferRecycler recycler = factory.recycler();
        try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
            encode(msg, out);
            return out.getClearAndRelease();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory CBOR write failed", e);
        } finally {
            recycler.releaseToPool();
        }
    }

    /**
     * Writes the encoding to a stream, which is flushed but not closed. On an exception the
     * stream may hold part of an envelope.
     *
     * @param msg the message
     * @param out where to write
     * @throws IOException when the stream fails
     * @throws IllegalArgumentException as for {@link #encode(FluxMsg)}
     */
    public void encode(FluxMsg msg, OutputStream out) throws IOException {
        Objects.requireNonNull(msg, "msg");
        try (DeterministicGenerator g = factory.create(out)) {
            encoder.writeEnvelope(g, msg);
        }
    }

    /**
     * @param cbor exactly one encoded envelope
     * @return the message
     * @throws CborException naming the offset and reason when the bytes are not a valid
     *     deterministic envelope within the limits
     */
    public FluxMsg decode(byte[] cbor) throws CborException {
        return decode(cbor, 0, cbor.length);
    }

    /**
     * @param buf a buffer
     * @param off where the envelope starts
     * @param len its exact length (trailing bytes are refused)
     * @return the message
     * @throws CborException as for {@link #decode(byte[])}; offsets are relative to {@code off}
     * @throws IndexOutOfBoundsException when off/len lie outside the buffer
     */
    public FluxMsg decode(byte[] buf, int off, int len) throws CborException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > limits.maxBytes()) {
            throw new CborException(0, "envelope of " + len + " bytes exceeds the limit of "
                    + limits.maxBytes() + " bytes");
        }
        return new CborDecoder(buf, off, len, limits.maxDepth()).envelope();
    }
}
