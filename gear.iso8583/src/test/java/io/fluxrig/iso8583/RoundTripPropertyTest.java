package io.fluxrig.iso8583;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For thousands of random valid messages per dialect (fixed seed): decode(encode(m)) equals m and
 * encode(decode(b)) equals b bit for bit.
 */
class RoundTripPropertyTest {
    private static final int MESSAGES = 4000;

    @ParameterizedTest
    @ValueSource(strings = {"iso87ascii", "iso87binary", "iso93ascii"})
    void encodeDecodeEncodeIsBitExact(String dialect) throws Exception {
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(dialect));
        RandomIso random = new RandomIso(8583L * dialect.hashCode(), false);
        int secondary = 0;
        for (int i = 0; i < MESSAGES; i++) {
            IsoMessage m = random.message(codec.spec());
            byte[] bytes = codec.encode(m);
            IsoMessage back = codec.decode(bytes);
            assertEquals(m, back, () -> dialect + " message " + m + " bytes " + HexFormat.of().formatHex(bytes));
            assertArrayEquals(bytes, codec.encode(back), dialect + " re-encode");
            if (m.fields().lastKey() > 64) {
                secondary++;
            }
        }
        // the generator really exercised the secondary bitmap
        assertEquals(true, secondary > MESSAGES / 10, "messages with a secondary bitmap: " + secondary);
    }
}
