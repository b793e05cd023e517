package io.fluxrig.snake.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one rule for peer-supplied text in a log line. */
class LogTextTest {
    @Test
    void aForgedLogLineAndTerminalEscapesStayOnOneVisibleLine() {
        String forged = "done\n[main] INFO io.fluxrig.mixer.Mixer - rack core revoked\r\u001b[31mred\u001b[0m\u2028\u202e\\n";
        String escaped = LogText.escape(forged);
        assertEquals("done\\n[main] INFO io.fluxrig.mixer.Mixer - rack core revoked\\r\\u001b[31mred\\u001b[0m\\u2028\\u202e\\\\n",
                escaped);
        assertTrue(escaped.chars().noneMatch(c -> c < 0x20 || c == 0x7f), escaped);
    }

    @Test
    void plainTextIsUnchangedAndLongTextIsCutSayingHowMuch() {
        assertEquals("rack edge-1: bundle io.fluxrig.gear.json 1.0.0 ACTIVE", LogText.escape("rack edge-1: bundle io.fluxrig.gear.json 1.0.0 ACTIVE"));
        assertEquals("null", LogText.escape(null));
        String cut = LogText.escape("x".repeat(LogText.MAX_CHARS + 10));
        assertEquals("x".repeat(LogText.MAX_CHARS) + "...(10 more characters)", cut);
    }
}
