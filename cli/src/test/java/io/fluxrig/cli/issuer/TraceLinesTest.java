package io.fluxrig.cli.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.testsupport.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceLinesTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> written() {
        synchronized (out) {
            return bytes.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void linesAreWrittenInTheOrderTheyCameWithinTheFlushInterval() throws Exception {
        try (TraceLines lines = new TraceLines(out, 50)) {
            lines.accept("one");
            lines.accept("two");
            Await.until("the first two lines written", this::written, w -> w.size() == 2, Duration.ofSeconds(10));
            lines.accept("three");
            Await.until("the third line written", this::written, w -> w.size() == 3, Duration.ofSeconds(10));
        }
        assertEquals(List.of("one", "two", "three"), written());
    }

    @Test
    void closingWritesWhatIsPendingAndLaterLinesAreWrittenAtOnce() {
        // An hour's interval: only close (or a full buffer) can have written these lines.
        TraceLines lines = new TraceLines(out, 3_600_000);
        lines.accept("a");
        lines.accept("b");
        lines.close();
        assertEquals(List.of("a", "b"), written());
        lines.accept("after close");
        assertEquals(List.of("a", "b", "after close"), written());
    }

    @Test
    void aFullBufferIsWrittenByTheLineThatFilledIt() {
        try (TraceLines lines = new TraceLines(out, 3_600_000)) {
            String line = "x".repeat(1023);
            int n = 0;
            while ((n + 1) * (line.length() + System.lineSeparator().length()) < TraceLines.MAX_PENDING_CHARS) {
                lines.accept(line);
                n++;
            }
            assertTrue(written().isEmpty(), "below the limit nothing is written before the interval");
            lines.accept(line);
            assertEquals(n + 1, written().size());
        }
    }

    @Test
    void aFlushIntervalBelowOneMillisecondIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TraceLines(out, 0));
        assertEquals("flushMs 0 must be at least 1", e.getMessage());
    }
}
