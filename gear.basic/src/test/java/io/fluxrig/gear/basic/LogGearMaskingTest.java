package io.fluxrig.gear.basic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Gear;
import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.RecordingContext;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the log gear writes to the log (through slf4j to java.util.logging) holds no card data in clear. */
class LogGearMaskingTest {
    /** A Luhn-valid test PAN and its track 2 equivalent (EMV tag 57 layout). */
    private static final String PAN = "4761739001010010";
    private static final String TRACK2 = PAN + "D25122011758928889";
    private static final String SHOWN = "476173******0010";

    private final Logger jul = Logger.getLogger(LogGear.class.getName());
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private record Config(int max_chars) implements LogConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return LogConfig.class;
        }
    }

    @BeforeEach
    void record() {
        jul.setLevel(Level.INFO);
        jul.addHandler(recorder);
    }

    @AfterEach
    void stop() {
        jul.removeHandler(recorder);
    }

    @Test
    void emvTagsFiveAAndFiftySevenAreMaskedInTheLogLine() {
        List<Map<String, Object>> emv = List.of(
                Map.of("tag", "5A", "value", Bytes.fromHex(PAN)),
                Map.of("tag", "57", "value", Bytes.fromHex(TRACK2)),
                Map.of("tag", "9F02", "value", Bytes.fromHex("000000001000")));
        FluxMsg msg = FluxMsg.builder().data("mti", "0200").data("2", PAN).data("pan", PAN)
                .data("35", PAN + "=25122011758928889").data("55", emv).data("emv", emv)
                .data("note", "card " + PAN).build();

        new LogGear(new Config(2000)).onMessage(Gear.PORT_IN, msg, new RecordingContext("log1"));

        assertEquals(1, lines.size(), lines.toString());
        String line = lines.get(0);
        assertTrue(line.startsWith("log1 #1 " + msg.id()), line);
        assertFalse(line.contains(PAN), line);
        assertFalse(line.contains("25122011758928889"), line);
        assertTrue(line.contains(SHOWN), line);
        assertTrue(line.contains("000000001000"), line);
    }
}
