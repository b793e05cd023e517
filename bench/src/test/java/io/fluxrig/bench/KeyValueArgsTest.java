package io.fluxrig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValueArgsTest {
    @Test
    void keepsTheOrderGivenAndTheLastValueOfAKey() {
        Map<String, String> s = KeyValueArgs.parse(new String[] {"rate=300", "waves=1,100%", "opts=-Da=b", "rate=50", "empty="},
                "settings are key=value, not ");
        assertEquals(List.of("rate", "waves", "opts", "empty"), List.copyOf(s.keySet()));
        assertEquals("50", s.get("rate"));
        assertEquals("-Da=b", s.get("opts"));
        assertEquals("", s.get("empty"));
    }

    @Test
    void refusesAWordWithoutAKeyNamingIt() {
        assertEquals("settings are key=value, not rate",
                assertThrows(IllegalArgumentException.class, () -> KeyValueArgs.parse(new String[] {"rate"}, "settings are key=value, not "))
                        .getMessage());
        assertEquals("arguments are key=value: =5",
                assertThrows(IllegalArgumentException.class, () -> KeyValueArgs.parse(new String[] {"=5"}, "arguments are key=value: "))
                        .getMessage());
    }
}
