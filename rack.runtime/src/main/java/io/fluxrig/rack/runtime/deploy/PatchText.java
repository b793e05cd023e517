package io.fluxrig.rack.runtime.deploy;

import io.fluxrig.rack.spi.DeployException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a patch artifact as text: UTF-8, at most {@value #MAX_BYTES} bytes, no NUL. Pure logic. */
final class PatchText {
    /** The largest patch accepted (1 MiB): far above any real patch, small enough to hold in memory. */
    static final int MAX_BYTES = 1 << 20;

    private PatchText() {
    }

    /**
     * @param file the artifact
     * @param label names the artifact in messages
     * @return its text
     * @throws DeployException (refused) when it is too large or not UTF-8 text
     * @throws IOException when it cannot be read
     */
    static String read(Path file, String label) throws DeployException, IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw DeployException.refused(label + " is " + size + " bytes; a patch may be at most 1 MiB (" + MAX_BYTES
                    + " bytes)");
        }
        return decode(Files.readAllBytes(file), label);
    }

    /**
     * @param bytes the artifact's content
     * @param label names the artifact in messages
     * @return the text
     * @throws DeployException (refused) naming the offset of the first byte that is not UTF-8 text
     */
    static String decode(byte[] bytes, String label) throws DeployException {
        if (bytes.length > MAX_BYTES) {
            throw DeployException.refused(label + " is " + bytes.length + " bytes; a patch may be at most 1 MiB ("
                    + MAX_BYTES + " bytes)");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw DeployException.refused(label + " is not UTF-8 text: invalid byte sequence at offset " + in.position());
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw DeployException.refused(label + " is not text: NUL byte at offset " + i);
            }
        }
        return out.flip().toString();
    }
}
