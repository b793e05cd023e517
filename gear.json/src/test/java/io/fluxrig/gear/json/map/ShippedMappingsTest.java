package io.fluxrig.gear.json.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fluxrig.gear.GearRejection;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.json.FluxMsgJson;
import io.fluxrig.testsupport.RecordingContext;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both shipped mappings on data shaped as iso8583.codec decodes a 0200 (numbers and aliases). */
class ShippedMappingsTest {
    record Config(String mapping, String mapping_file, String target) implements MapConfig {
        @Override
        public Class<? extends Annotation> annotationType() {
            return MapConfig.class;
        }
    }

    static final long TS = nanos("2026-03-14T10:15:31Z");

    static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    static Map<String, Object> request0200() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mti", "0200");
        field(d, "2", "pan", "4111111111111111");
        field(d, "3", "processing_code", "000000");
        field(d, "4", "amount", "000000012345");
        field(d, "7", "transmission_datetime", "0314101530");
        field(d, "11", "stan", "123456");
        field(d, "12", "local_time", "111530");
        field(d, "13", "local_date", "0314");
        field(d, "14", "expiry", "2812");
        field(d, "18", "merchant_type", "5411");
        field(d, "22", "pos_entry_mode", "051");
        field(d, "37", "rrn", "407310123456");
        field(d, "41", "terminal_id", "TERM0001");
        field(d, "42", "merchant_id", "MERCHANT01     ");
        field(d, "49", "currency", "840");
        return d;
    }

    private static void field(Map<String, Object> d, String number, String alias, String value) {
        d.put(number, value);
        d.put(alias, value);
    }

    static FluxMsg run(String mapping, String target, FluxMsg in) throws Exception {
        RecordingContext rec = new RecordingContext();
        new JsonMapGear(new Config(mapping, "", target)).onMessage("in", in, rec);
        RecordingContext.Emitted e = rec.next();
        assertEquals("out", e.port());
        return e.msg();
    }

    @Test
    void isoRequestToCanonicalJson() throws Exception {
        FluxMsg in = FluxMsg.builder().data(request0200()).meta("conn.id", "c-9").ts(TS).build();
        FluxMsg out = run("iso-auth-request", "raw", in);
        assertEquals("c-9", out.meta("conn.id"));
        assertEquals(in.id(), out.ref());
        String json = new String(out.raw().toByteArray(), StandardCharsets.UTF_8);
        assertEquals("{\"message_type\":\"0200\",\"pan\":\"4111111111111111\",\"processing_code\":\"000000\","
                + "\"amount\":{\"value\":\"123.45\",\"currency\":\"USD\"},\"stan\":\"123456\",\"rrn\":\"407310123456\","
                + "\"terminal\":\"TERM0001\",\"merchant\":\"MERCHANT01\",\"merchant_type\":\"5411\",\"pos_entry_mode\":\"051\","
                + "\"expiry\":\"2812\",\"transmitted_at\":\"2026-03-14T10:15:30Z\",\"local_time\":\"11:15:30\","
                + "\"local_date\":\"2026-03-14\"}", json);
    }

    @Test
    void decisionBackToIsoResponseFields() throws Exception {
        FluxMsg canonical = run("iso-auth-request", "data", FluxMsg.builder().data(request0200()).ts(TS).build());
        FluxMsg withDecision = canonical.derive()
                .data("decision", Map.of("approved", true, "response_code", "00", "auth_code", "A1B2C3")).build();
        FluxMsg out = run("auth-decision-iso", "data", withDecision);
        Map<String, Object> req = request0200();
        assertEquals("0210", out.get("mti"));
        assertEquals("00", out.get("39"));
        assertEquals("A1B2C3", out.get("38"));
        for (String echoed : new String[] {"2", "3", "4", "7", "11", "12", "13", "37", "41", "42", "49"}) {
            assertEquals(req.get(echoed), out.get(echoed), "field " + echoed);
        }
        assertEquals(14, out.data().size(), out.data().keySet().toString());
    }

    @Test
    void declineWithoutAuthCodeAnd0100() throws Exception {
        Map<String, Object> req = request0200();
        req.put("mti", "0100");
        req.remove("42");
        req.remove("37");
        FluxMsg canonical = run("iso-auth-request", "data", FluxMsg.builder().data(req).ts(TS).build());
        assertFalse(canonical.data().containsKey("merchant"));
        FluxMsg out = run("auth-decision-iso", "data", canonical.derive()
                .data("decision", Map.of("approved", false, "response_code", "51")).build());
        assertEquals("0110", out.get("mti"));
        assertEquals("51", out.get("39"));
        assertFalse(out.data().containsKey("38"));
        assertFalse(out.data().containsKey("42"));
    }

    @Test
    void decimalCurrenciesUseTheirExponent() throws Exception {
        Map<String, Object> req = request0200();
        req.put("4", "000000012345");
        req.put("49", "048");
        FluxMsg bhd = run("iso-auth-request", "data", FluxMsg.builder().data(req).ts(TS).build());
        assertEquals("12.345", bhd.get("amount.value"));
        assertEquals("BHD", bhd.get("amount.currency"));
        req.put("49", "392");
        FluxMsg jpy = run("iso-auth-request", "data", FluxMsg.builder().data(req).ts(TS).build());
        assertEquals("12345", jpy.get("amount.value"));
        assertEquals("JPY", jpy.get("amount.currency"));
    }

    @Test
    void mappingErrorsNameTheFieldAndReason() {
        Map<String, Object> req = request0200();
        req.remove("11");
        GearRejection r = assertThrows(GearRejection.class,
                () -> run("iso-auth-request", "data", FluxMsg.builder().data(req).ts(TS).build()));
        assertEquals("json.map iso-auth-request: /stan (from data 11): required data 11 is missing", r.getMessage());

        Map<String, Object> bad = request0200();
        bad.put("4", "0000000123X5");
        r = assertThrows(GearRejection.class, () -> run("iso-auth-request", "data", FluxMsg.builder().data(bad).ts(TS).build()));
        assertEquals("json.map iso-auth-request: /amount/value (from data 4): minor units must be digits: '0000000123X5'", r.getMessage());

        Map<String, Object> cur = request0200();
        cur.put("49", "999");
        r = assertThrows(GearRejection.class, () -> run("iso-auth-request", "data", FluxMsg.builder().data(cur).ts(TS).build()));
        assertTrue(r.getMessage().startsWith("json.map iso-auth-request: /amount/value (from data 4): unknown currency '999'"), r.getMessage());

        FluxMsg noDecision = FluxMsg.builder().data("message_type", "0200").data("pan", "4111").data("amount",
                Map.of("value", "12.345", "currency", "USD")).build();
        r = assertThrows(GearRejection.class, () -> run("auth-decision-iso", "data", noDecision));
        assertEquals("json.map auth-decision-iso: /4 (from data amount.value): amount 12.345 does not fit 2 decimal places or 64 bits",
                r.getMessage());
    }

    @Test
    void targetDataKeyKeepsTheRest() throws Exception {
        FluxMsg out = run("iso-auth-request", "auth", FluxMsg.builder().data(request0200()).ts(TS).build());
        assertEquals("0200", out.get("mti"));
        assertEquals("123.45", out.get("auth.amount.value"));
        assertTrue(new String(FluxMsgJson.create().writeValue(out.getMap("auth")), StandardCharsets.UTF_8).contains("\"pan\""));
    }

    @Test
    void unknownBuiltInAndMissingConfigAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JsonMapGear(new Config("nope", "", "data")));
        assertTrue(e.getMessage().contains("no built-in mapping 'nope'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JsonMapGear(new Config("", "", "data")));
    }
}
