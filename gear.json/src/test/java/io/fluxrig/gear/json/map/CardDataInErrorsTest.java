package io.fluxrig.gear.json.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.Gear;
import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.testsupport.RecordingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A json.map rejection's text travels to the error wire, dead letters, the dispatcher log and
 * {@code tail}: card data in the value that failed must not be in it in clear.
 */
class CardDataInErrorsTest {
    /** A Luhn-valid test PAN and a track 2 built on it. */
    private static final String PAN = "4761739001010010";
    private static final String TRACK2 = PAN + "=25122011758928889";
    private static final String SHOWN = "476173******0010";

    private static String rejectionOf(Path dir, String rule, FluxMsg in) throws Exception {
        Path file = dir.resolve("m.json");
        Files.writeString(file, "{\"name\":\"m\",\"rules\":[" + rule + "]}");
        JsonMapGear gear = new JsonMapGear(new ShippedMappingsTest.Config("", file.toString(), "data"));
        RecordingContext rec = new RecordingContext("map1");
        GearRejection r = assertThrows(GearRejection.class, () -> gear.onMessage(Gear.PORT_IN, in, rec));
        // What the rack sends to the error port (and logs, and dead-letters) for this rejection.
        rec.reject(in, r.getMessage());
        String onErrorWire = rec.take(Gear.PORT_ERROR).meta(Gear.META_ERROR);
        assertEquals(r.getMessage(), onErrorWire);
        return r.getMessage();
    }

    @Test
    void anOversizedPanIsNamedByFieldAndLengthNotByValue(@TempDir Path dir) throws Exception {
        String text = rejectionOf(dir, "{\"target\":\"/card/pan\",\"source\":\"2\",\"transforms\":[{\"op\":\"pad\",\"side\":\"left\",\"length\":12}]}",
                FluxMsg.builder().data("2", PAN).build());
        assertFalse(text.contains(PAN), text);
        assertEquals("json.map m: /card/pan (from data 2): 16 characters, longer than the pad length 12", text);
    }

    @Test
    void aPanQuotedInAReasonShowsFirstSixLastFour(@TempDir Path dir) throws Exception {
        String text = rejectionOf(dir, "{\"target\":\"/pan\",\"source\":\"pan\",\"transforms\":[{\"op\":\"number\"}]}",
                FluxMsg.builder().data("pan", PAN + "X").build());
        assertFalse(text.contains(PAN), text);
        assertTrue(text.contains("476173*******010X"), text);
    }

    @Test
    void trackDataInAReasonIsHiddenWhole(@TempDir Path dir) throws Exception {
        String text = rejectionOf(dir, "{\"target\":\"/t\",\"source\":\"35\",\"transforms\":[{\"op\":\"lookup\",\"table\":{\"a\":\"b\"}}]}",
                FluxMsg.builder().data("35", TRACK2).build());
        assertFalse(text.contains(PAN), text);
        assertFalse(text.contains("25122011758928889"), text);
        assertEquals("json.map m: /t (from data 35): '****' is not in the lookup table [a]", text);
    }

    @Test
    void aPanUnderAnyOtherKeyIsMaskedByShape(@TempDir Path dir) throws Exception {
        String text = rejectionOf(dir, "{\"target\":\"/amount\",\"source\":\"meta:note\",\"transforms\":[{\"op\":\"number\"}]}",
                FluxMsg.builder().meta("note", "card " + PAN).build());
        assertFalse(text.contains(PAN), text);
        assertEquals("json.map m: /amount (from meta note): not a number: 'card " + SHOWN + "'", text);
    }
}
