package io.fluxrig.iso8583.gear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The responder's rule table, echo list and MTI mapping (pure logic on decoded messages). */
class ResponderGearTest {
    private final ResponderGear responder = new ResponderGear(Configs.of(ResponderConfig.class,
            Map.of("decline_amount_over", 50000L, "block_pans", new String[] {"4000000000000002", " 5500000000000004 "})));

    private static FluxMsg request(String mti, String pan, String amount, String stan) {
        return FluxMsg.builder().meta("iso.conn", "srv/7").meta("iso.header", "6000120000").data("mti", mti).data("2", pan)
                .data("3", "000000").data("4", amount).data("7", "1127013000").data("11", stan).data("12", "013000").data("13", "1127")
                .data("35", "4111111111111111=2512").data("37", "000000000042").data("41", "TERM0001").data("42", "MERCHANT0000001")
                .data("49", "978").data("52", "0123456789ABCDEF").build();
    }

    @ParameterizedTest(name = "{0} {1} amount {2} -> {3} {4}")
    @CsvSource({
        "0200, 4111111111111111, 000000050000, 0210, 00",
        "0200, 4111111111111111, 000000050001, 0210, 51",
        "0100, 4111111111111111, 000000000100, 0110, 00",
        "0100, 4111111111111111, 000099999999, 0110, 51",
        "0200, 4000000000000002, 000000000100, 0210, 05",
        "0100, 5500000000000004, 000099999999, 0110, 05",
        "0400, 4111111111111111, 000099999999, 0410, 00",
        "0800, 4111111111111111, 000000000000, 0810, 00"})
    void ruleTableAndMtiMapping(String mti, String pan, String amount, String responseMti, String code) throws Exception {
        FluxMsg req = request(mti, pan, amount, "000123");
        FluxMsg resp = responder.respond(req);
        assertEquals(responseMti, resp.getString("mti"));
        assertEquals(responseMti, resp.meta("iso.mti"));
        assertEquals(code, resp.getString("39"));
        assertEquals(code, resp.getString("response_code"), "alias set too");
        boolean approvedAuth = code.equals("00") && (responseMti.equals("0110") || responseMti.equals("0210"));
        assertEquals(approvedAuth, resp.getString("38") != null, "38 only on approved authorisations");
        assertEquals(req.id(), resp.ref());
        assertEquals("srv/7", resp.meta("iso.conn"));
        assertEquals("6000120000", resp.meta("iso.header"));
        for (String f : new String[] {"2", "3", "4", "7", "11", "12", "13", "37", "41", "42", "49"}) {
            assertEquals(req.getString(f), resp.getString(f), "field " + f + " echoed");
        }
        assertNull(resp.get("35"), "track 2 never echoed");
        assertNull(resp.get("52"), "PIN block never echoed");
        assertNull(resp.raw(), "raw of the request not carried into the response");
    }

    @Test
    void authCodeIsSixDigitsAndDeterministicPerStanAndRrn() throws Exception {
        String a = responder.respond(request("0200", "4111111111111111", "000000000100", "000123")).getString("38");
        String again = responder.respond(request("0200", "4111111111111111", "000000000100", "000123")).getString("38");
        String other = responder.respond(request("0200", "4111111111111111", "000000000100", "000124")).getString("38");
        assertTrue(a.matches("[0-9]{6}"), a);
        assertEquals(a, again, "a redelivery gets the same code");
        assertNotEquals(a, other);
    }

    @Test
    void configurableEchoListAndApproveCode() throws Exception {
        ResponderGear custom = new ResponderGear(Configs.of(ResponderConfig.class,
                Map.of("echo_fields", new int[] {11, 41}, "approve_code", "Y1", "decline_amount_over", 0L)));
        FluxMsg resp = custom.respond(request("0200", "4111111111111111", "999999999999", "000001"));
        assertEquals("Y1", resp.getString("39"));
        assertEquals("000001", resp.getString("11"));
        assertEquals("TERM0001", resp.getString("41"));
        assertFalse(resp.data().containsKey("2"));
        assertFalse(resp.data().containsKey("4"));
    }

    @Test
    void unknownMtiAndBadAmountAreRejectedWithAReason() {
        GearRejection r = assertThrows(GearRejection.class, () -> responder.respond(request("0300", "4111111111111111", "1", "000001")));
        assertEquals("iso8583.responder: no response defined for MTI 0300 (answers 0100, 0200, 0400, 0800)", r.getMessage());
        GearRejection a = assertThrows(GearRejection.class, () -> responder.respond(request("0200", "4111111111111111", "12AB", "000001")));
        assertEquals("iso8583.responder: field 4 (amount) is not a whole number of minor units", a.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> new ResponderGear(Configs.of(ResponderConfig.class, Map.of("echo_fields", new int[] {11, 200}))));
        assertEquals("iso8583.responder config echo.fields: 200 is not a field of iso87ascii", c.getMessage());
    }

    /** The allocation-free authCode gives exactly what the original formula gave (CRC-32 of "41=v;11=v;37=v;7=v;", %06d). */
    @org.junit.jupiter.api.Test
    void authCodeMatchesTheDocumentedFormula() {
        String[][] cases = {{"T0000001", "000001", "000100000001", "1127015959"}, {"TERM\u00e9\u20ac", "999999", null, "0101000000"},
                {null, null, null, null}, {"", "1", "2", "3"}};
        for (String[] c : cases) {
            io.fluxrig.msg.FluxMsg.Builder b = io.fluxrig.msg.FluxMsg.builder();
            String[] keys = {"41", "11", "37", "7"};
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            for (int i = 0; i < 4; i++) {
                if (c[i] != null) {
                    b.data(keys[i], c[i]);
                }
                crc.update((keys[i] + "=" + (c[i] == null ? "" : c[i]) + ";").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            org.junit.jupiter.api.Assertions.assertEquals(String.format("%06d", crc.getValue() % 1_000_000L), ResponderGear.authCode(b.build()));
        }
    }
}
