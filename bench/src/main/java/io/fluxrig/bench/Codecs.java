package io.fluxrig.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.cbor.CborException;
import io.fluxrig.msg.cbor.FluxMsgCbor;
import io.fluxrig.msg.json.FluxMsgJson;
import io.fluxrig.msg.json.JsonEnvelopeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The four codecs under test, each set up the way its user would (shared, thread-safe
 * instances), byte arrays in and out.
 */
final class Codecs {
    /** fluxrig's deterministic CBOR. */
    final FluxMsgCbor fluxCbor = FluxMsgCbor.standard();
    /** fluxrig's JSON form (informational: the CLI/console format). */
    final FluxMsgJson fluxJson = FluxMsgJson.create();
    /** What a Jackson user writes for CBOR. */
    final ObjectMapper jacksonCbor = new ObjectMapper(new CBORFactory());
    /** What a Jackson user writes for JSON. */
    final ObjectMapper jacksonJson = new ObjectMapper();

    byte[] fluxCbor(FluxMsg m) {
        return fluxCbor.encode(m);
    }

    FluxMsg fluxCbor(byte[] b) throws CborException {
        return fluxCbor.decode(b);
    }

    byte[] fluxJson(FluxMsg m) {
        // Sized like FluxMsgJson.write(FluxMsg) does it; bytes, not a String, as the wire needs.
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            fluxJson.write(m, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    FluxMsg fluxJson(byte[] b) throws JsonEnvelopeException {
        return fluxJson.read(b);
    }

    static byte[] jackson(ObjectMapper mapper, PlainEnvelope e) throws IOException {
        return mapper.writeValueAsBytes(e);
    }

    static PlainEnvelope jackson(ObjectMapper mapper, byte[] b) throws IOException {
        return mapper.readValue(b, PlainEnvelope.class);
    }
}
