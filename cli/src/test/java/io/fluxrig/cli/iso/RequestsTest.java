package io.fluxrig.cli.iso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.iso8583.IsoMessage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestsTest {
    @Test
    void digitsIsZeroPaddedDecimalLikeFormat() {
        long[] values = {0, 1, 9, 10, 99, 999_999, 1_000_000, 123_456_789_012L, 9_999_999_999_999L};
        for (long v : values) {
            for (int w : new int[] {1, 2, 4, 6, 8, 12}) {
                assertEquals(String.format("%0" + w + "d", v), Requests.digits(v, w), v + " width " + w);
            }
        }
    }

    @Test
    void purchaseFieldsHaveTheirFixedFormats() {
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            IsoMessage m = Requests.purchase("000042", "000100000042", "T0000001", r);
            assertEquals("0200", m.mti());
            assertTrue(((String) m.get(4)).matches("[0-9]{12}"), m.toString());
            long amount = Long.parseLong((String) m.get(4));
            assertTrue(amount >= 100 && amount <= 500_000, m.toString());
            assertTrue(((String) m.get(7)).matches("(0[1-9]|1[0-2])[0-3][0-9][0-2][0-9][0-5][0-9][0-5][0-9]"), m.toString());
            assertTrue(((String) m.get(12)).matches("[0-2][0-9][0-5][0-9][0-5][0-9]"), m.toString());
            assertTrue(((String) m.get(13)).matches("(0[1-9]|1[0-2])[0-3][0-9]"), m.toString());
            assertTrue(((String) m.get(7)).startsWith((String) m.get(13)), m.toString());
            assertTrue(((String) m.get(2)).matches("476173[0-9]{10}"), m.toString());
        }
    }
}
