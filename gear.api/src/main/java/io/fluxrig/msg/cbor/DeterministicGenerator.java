package io.fluxrig.msg.cbor;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Jackson's {@link CBORGenerator} with a few additions:
 * <ul>
 *   <li>{@link #writeEncodedItem(byte[])} writes a complete, already-encoded data item <em>and
 *       counts it</em> as one element of the enclosing definite-length container. The public
 *       {@code writeBytes} writes the bytes but skips the element accounting, so a
 *       definite-length array or map holding such an item fails with "size mismatch" on close.
 *   <li>{@link #writeText(String)} and {@link #writeKey(String)} write text in definite-length
 *       form, encoding it to UTF-8 once (see there).
 *   <li>{@link #scratch16()}, a per-generator buffer for UUID bytes.
 * </ul>
 * Not thread-safe: one generator per encode call.
 */
final class DeterministicGenerator extends CBORGenerator {
    /**
     * Longest text (in chars) written by Jackson's own {@code _writeString(String)}: up to here
     * it encodes straight into its output buffer behind a one- or two-byte definite-length head
     * (23 chars are at most 69 UTF-8 bytes). Longer text goes through its char-buffer path,
     * which switches to indefinite-length chunks above about 4000 chars, so that is written as
     * UTF-8 bytes instead.
     */
    private static final int JACKSON_TEXT_MAX_CHARS = 23;

    private final byte[] scratch16 = new byte[16];

    private DeterministicGenerator(IOContext ctxt, int stdFeatures, int formatFeatures,
            ObjectCodec codec, OutputStream out) {
        super(ctxt, stdFeatures, formatFeatures, codec, out);
    }

    /**
     * @param item one complete CBOR data item
     * @throws IOException if writing fails or no value is expected here
     */
    void writeEncodedItem(byte[] item) throws IOException {
        _verifyValueWrite("write encoded item");
        writeBytes(item, 0, item.length);
    }

    /**
     * Writes text as one definite-length text string. The caller has checked it holds no
     * unpaired surrogate.
     *
     * @param s the text
     * @throws IOException if writing fails or no value is expected here
     */
    void writeText(String s) throws IOException {
        if (s.length() <= JACKSON_TEXT_MAX_CHARS) {
            writeString(s);
        } else {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeUTF8String(utf8, 0, utf8.length);
        }
    }

    /**
     * Writes a map key as one definite-length text string, encoding it once (a
     * {@code SerializedString} per key encoded it a second time). The caller has checked it
     * holds no unpaired surrogate.
     *
     * @param key the key
     * @throws IOException if writing fails or a value, not a key, is expected here
     */
    void writeKey(String key) throws IOException {
        if (key.length() <= JACKSON_TEXT_MAX_CHARS) {
            writeFieldName(key); // Jackson's _writeString(String), as writeText
        } else {
            writeFieldName(new SerializedString(key));
        }
    }

    /** @return a 16-byte buffer owned by this generator, for a UUID about to be written */
    byte[] scratch16() {
        return scratch16;
    }

    /**
     * Creates generators set up for deterministic output: minimal integers, no self-describe
     * tag, no string references, strict UTF-8, no float narrowing by Jackson (the encoder picks
     * the float width itself), and the caller's stream left open. Thread-safe.
     */
    static final class Factory extends CBORFactory {
        private static final long serialVersionUID = 1L;

        Factory() {
            super(CBORFactory.builder()
                    .enable(CBORGenerator.Feature.WRITE_MINIMAL_INTS)
                    .disable(CBORGenerator.Feature.WRITE_MINIMAL_DOUBLES)
                    .disable(CBORGenerator.Feature.WRITE_TYPE_HEADER)
                    .disable(CBORGenerator.Feature.STRINGREF)
                    .disable(CBORGenerator.Feature.LENIENT_UTF_ENCODING)
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                    .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT));
        }

        /**
         * @return a buffer recycler from Jackson's pool (thread-local by default, bounded by
         *     Jackson); release with {@code releaseToPool()}
         */
        BufferRecycler recycler() {
            return _getBufferRecycler();
        }

        /** @param out where to write; not closed by the generator @return a new generator */
        DeterministicGenerator create(OutputStream out) {
            IOContext ctxt = _createContext(_createContentReference(out), false);
            return new DeterministicGenerator(ctxt, _generatorFeatures, _formatGeneratorFeatures,
                    _objectCodec, out);
        }
    }
}
