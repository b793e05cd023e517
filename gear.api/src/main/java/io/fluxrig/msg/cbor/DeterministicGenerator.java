package io.fluxrig.msg.cbor;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Jackson's {@link CBORGenerator} with one addition: {@link #writeEncodedItem(byte[])}, which
 * writes a complete, already-encoded data item <em>and counts it</em> as one element of the
 * enclosing definite-length container. The public {@code writeBytes} writes the bytes but skips
 * the element accounting, so a definite-length array or map holding such an item fails with
 * "size mismatch" on close. Not thread-safe: one generator per encode call.
 */
final class DeterministicGenerator extends CBORGenerator {

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

        /** @param out where to write; not closed by the generator @return a new generator */
        DeterministicGenerator create(OutputStream out) {
            IOContext ctxt = _createContext(_createContentReference(out), false);
            return new DeterministicGenerator(ctxt, _generatorFeatures, _formatGeneratorFeatures,
                    _objectCodec, out);
        }
    }
}
