package io.fluxrig.cli;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A fixed, realistic example envelope: an ISO 8583 (1987, ASCII with a binary bitmap) card
 * authorisation request as an acquirer gear would emit it. Fixed ids and timestamps so the
 * output is reproducible. Stateless.
 *
 * <p>The single source of the sample: {@code fluxrig msg sample} prints it, and the bench
 * module measures the codecs on it (which is why it is public; the CLI has no API otherwise).
 *
 * <p>Shape: trace context, two hops, 12 meta entries, 26 data fields (text, integers, a
 * {@code BigDecimal} amount, a double, booleans, a null, a list, a nested 8-entry map, 111 bytes
 * of EMV data) and a raw ISO 8583 message of 295 bytes.
 */
public final class SampleEnvelope {
    private static final long TS = 1_775_990_215_123_456_789L;

    private SampleEnvelope() {
    }

    /** @return the sample envelope (equal every time) */
    public static FluxMsg cardAuthorisation() {
        FluxMsg.Builder b = FluxMsg.builder()
                .id(UUID.fromString("019d3f2a-6b1c-7e42-9a5d-3c8e1f0b7a64"))
                .ref(UUID.fromString("019d3f2a-6ab0-7c10-8f33-0d2e4b6a9c15"))
                .trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .src("acq.iso8583.in/visa-eu")
                .ts(TS)
                .raw(iso8583())
                .hop(new Hop("edge-fra-1", "acq.iso8583.in/visa-eu", TS - 1_250_000))
                .hop(new Hop("core-fra-2", "auth.router", TS));
        Map<String, String> meta = new TreeMap<>();
        meta.put("wire.subject", "auth.req.visa-eu");
        meta.put("wire.seq", "884213");
        meta.put("iso.mti", "0100");
        meta.put("iso.dialect", "iso87-ascii-visa");
        meta.put("net.peer", "10.20.4.17:7001");
        meta.put("net.channel", "visa-eu-primary");
        meta.put("tenant", "acme-acquiring");
        meta.put("content-type", "application/iso8583");
        meta.put("priority", "high");
        meta.put("ingress.rack", "edge-fra-1");
        meta.put("correlation", "004711/250412");
        meta.put("schema", "auth.request/3");
        b.meta(meta);
        return b.data(data()).build();
    }

    /**
     * The sample's data as a caller hands it to a builder: insertion-ordered maps, the EMV value
     * as a {@code byte[]}. A fresh, mutable copy on every call (the bench's plain-Jackson POJO
     * uses it as its own {@code Map<String, Object>}).
     *
     * @return the 26 data fields, in the order they were written
     */
    public static Map<String, Object> data() {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("pan", "411111******1111");
        card.put("bin", "411111");
        card.put("last4", "1111");
        card.put("expiry", "2812");
        card.put("scheme", "visa");
        card.put("pan_seq", 1L);
        card.put("token", "tok_7Q2xWm9c");
        card.put("emv", true);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mti", "0100");
        data.put("proc_code", "000000");
        data.put("amount", new BigDecimal("125.50"));
        data.put("currency", "978");
        data.put("amount_minor", 12550L);
        data.put("transmitted_at", "2026-04-12T10:30:15Z");
        data.put("stan", "004711");
        data.put("local_time", "123015");
        data.put("local_date", "0412");
        data.put("mcc", "5411");
        data.put("pos_entry_mode", "071");
        data.put("pos_condition", "00");
        data.put("acquirer_id", "01234567890");
        data.put("rrn", "250412004711");
        data.put("terminal_id", "TERM0042");
        data.put("merchant_id", "MERCHANT0000042");
        data.put("merchant_name", "ACME GROCERIES");
        data.put("merchant_city", "BERLIN");
        data.put("merchant_country", "DE");
        data.put("card", card);
        data.put("cardholder_present", true);
        data.put("ecommerce", false);
        data.put("risk_score", 0.137);
        data.put("fx_rate", null);
        data.put("tags", List.of("contactless", "domestic", "chip"));
        data.put("icc", emv());
        return data;
    }

    private static byte[] emv() {
        // Tag-length-value EMV data (field 55): application cryptogram, ATC, TVR, amounts, etc.
        return java.util.HexFormat.of().parseHex(
                "9f2608c2a5e1f0d3b4a7969f2701809f10120110a00003220000000000000000000000ff"
                + "9f3704a1b2c3d49f36020042950500000080009a032604129c01009f02060000000125"
                + "505f2a0209789f1a0202769f34034203009f3303e0f8c8820219809f3501229f0306"
                + "000000000000");
    }

    /** An ISO 8583 0100 with a primary bitmap, ASCII fields and binary field 55 (~290 bytes). */
    private static byte[] iso8583() {
        Map<Integer, byte[]> f = new TreeMap<>();
        f.put(2, ll("4111111111111111"));
        f.put(3, a("000000"));
        f.put(4, a("000000012550"));
        f.put(7, a("0412103015"));
        f.put(11, a("004711"));
        f.put(12, a("123015"));
        f.put(13, a("0412"));
        f.put(14, a("2812"));
        f.put(18, a("5411"));
        f.put(22, a("071"));
        f.put(23, a("001"));
        f.put(25, a("00"));
        f.put(32, ll("01234567890"));
        f.put(37, a("250412004711"));
        f.put(41, a("TERM0042"));
        f.put(42, a("MERCHANT0000042"));
        f.put(43, a(String.format("%-25s%-13s%s", "ACME GROCERIES", "BERLIN", "DE")));
        f.put(49, a("978"));
        byte[] icc = emv();
        byte[] f55 = new byte[icc.length + 3];
        System.arraycopy(a(String.format("%03d", icc.length)), 0, f55, 0, 3);
        System.arraycopy(icc, 0, f55, 3, icc.length);
        f.put(55, f55);
        byte[] bitmap = new byte[8];
        for (int field : f.keySet()) {
            bitmap[(field - 1) / 8] |= (byte) (0x80 >>> ((field - 1) % 8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a("0100"));
        out.writeBytes(bitmap);
        f.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] a(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ll(String s) {
        return a(String.format("%02d", s.length()) + s);
    }
}
