package io.fluxrig.run;

import io.fluxrig.cli.launch.Child;
import io.fluxrig.cli.launch.Supervisor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code run/fluxrig msg ...} through the launcher: sample, encode, decode round trip. */
class MsgCliIT {

    @Test
    void sampleEncodeDecodeEncodeReproducesTheBytes() throws Exception {
        Supervisor.Result sample = Fluxrig.run(new byte[0], Duration.ofSeconds(60), "msg", "sample");
        assertEquals(0, sample.exit(), sample.stderr());
        assertTrue(sample.out().contains("\"data\""), sample.out());

        Supervisor.Result encode = Fluxrig.run(sample.stdout(), Duration.ofSeconds(60), "msg", "encode");
        assertEquals(0, encode.exit(), encode.stderr());
        byte[] cbor = encode.stdout();
        assertTrue(cbor.length > 100);

        Supervisor.Result decode = Fluxrig.run(cbor, Duration.ofSeconds(60), "msg", "decode", "--unmasked");
        assertEquals(0, decode.exit(), decode.stderr());

        Supervisor.Result again = Fluxrig.run(decode.stdout(), Duration.ofSeconds(60), "msg", "encode");
        assertEquals(0, again.exit(), again.stderr());
        assertArrayEquals(cbor, again.stdout());
    }

    @Test
    void badCborIsRejectedWithOffsetAndReason() throws Exception {
        // a map of one entry whose key is an unsigned integer, not text
        Supervisor.Result decode = Fluxrig.run("a10000\n".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(60), "msg", "decode");
        assertEquals(1, decode.exit());
        assertTrue(decode.stderr().contains("offset"), decode.stderr());
    }
}
