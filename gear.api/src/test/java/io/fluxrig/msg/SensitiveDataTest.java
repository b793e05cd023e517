package io.fluxrig.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SensitiveDataTest {

    @Test
    void cardDataIsMaskedAtAnyDepthAndRawIsDropped() {
        FluxMsg m = FluxMsg.builder()
                .data("2", "4761739001010119")
                .data("35", "4761739001010119=25121011000012345678")
                .data("card", Map.of("pan", "5413330089600010", "cvv", "123", "scheme", "mc"))
                .data("items", List.of(Map.of("pin_block", Bytes.fromHex("0011223344556677"))))
                .data("amount", 1250L)
                .raw(new byte[] {1, 2, 3})
                .build();
        FluxMsg masked = SensitiveData.masked(m);
        assertEquals(m.id(), masked.id());
        assertEquals("476173******0119", masked.getString("2"));
        assertEquals(SensitiveData.HIDDEN, masked.getString("35"));
        assertEquals("541333******0010", masked.getString("card.pan"));
        assertEquals(SensitiveData.HIDDEN, masked.getString("card.cvv"));
        assertEquals("mc", masked.getString("card.scheme"));
        assertEquals(SensitiveData.HIDDEN, masked.getString("items.0.pin_block"));
        assertEquals(1250L, masked.getLong("amount"));
        assertNull(masked.raw());
    }

    @Test
    void shortNumbersAreHiddenWhole() {
        assertEquals(SensitiveData.HIDDEN, SensitiveData.maskPan("1234567890"));
        assertEquals("123456*8901", SensitiveData.maskPan("12345678901"));
        assertEquals(SensitiveData.Kind.PAN, SensitiveData.of("PAN"));
        assertEquals(SensitiveData.Kind.SECRET, SensitiveData.of("Track2"));
        assertEquals(SensitiveData.Kind.NONE, SensitiveData.of("stan"));
    }
}
