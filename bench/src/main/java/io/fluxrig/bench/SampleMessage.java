package io.fluxrig.bench;

import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The benchmark message: an ISO 8583 card authorisation request as an acquirer gear emits it
 * (same idea as the CLI's {@code fluxrig msg sample}, built here so the benchmark does not
 * depend on the CLI). Fixed ids and timestamps: every run measures the same bytes.
 *
 * <p>Shape: trace context, two hops, 12 meta entries, 26 data fields (text, integers, a
 * {@code BigDecimal} amount, a double, booleans, a null, a list, a nested 8-entry map, 111
 * bytes of EMV data) and a raw ISO 8583 message of 295 bytes. Stateless.
 */
public final class SampleMessage {
    private static final long TS = 1_775_990_215_123_456_789L;

    private SampleMessage() {
    }

    /** @return the fluxrig envelope */
    public static FluxMsg cardAuthorisation() {
        Map<String, String> meta = new LinkedHashMap<>();
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
        return FluxMsg.builder()
                .id(UUID.fromString("019d3f2a-6b1c-7e42-9a5d-3c8e1f0b7a64"))
                .ref(UUID.fromString("019d3f2a-6ab0-7c10-8f33-0d2e4b6a9c15"))
                .trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .src("acq.iso8583.in/visa-eu")
                .ts(TS)
                .raw(iso8583())
                .hop(new Hop("edge-fra-1", "acq.iso8583.in/visa-eu", TS - 1_250_000))
                .hop(new Hop("core-fra-2", "auth.router", TS))
                .meta(meta)
                .data(data(Bytes.of(emv())))
                .build();
    }

    /**
     * @param icc the EMV value as the target model holds bytes ({@link Bytes} or {@code byte[]})
     * @return the 26 data fields, insertion-ordered
     */
    static Map<String, Object> data(Object icc) {
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
        data.put("icc", icc);
        return data;
    }

    /** EMV tag-length-value data (ISO 8583 field 55). */
    static byte[] emv() {
        return HexFormat.of().parseHex(
                "9f2608c2a5e1f0d3b4a7969f2701809f10120110a00003220000000000000000000000ff"
                + "9f3704a1b2c3d49f36020042950500000080009a032604129c01009f02060000000125"
                + "505f2a0209789f1a0202769f34034203009f3303e0f8c8820219809f3501229f0306"
                + "000000000000");
    }

    /** An ISO 8583:1987 0100: ASCII fields, binary primary bitmap, binary field 55 (~300 bytes). */
    static byte[] iso8583() {
        byte[] icc = emv();
        Map<Integer, byte[]> fields = new TreeMap<>();
        fields.put(2, ascii("164111111111111111"));
        fields.put(3, ascii("000000"));
        fields.put(4, ascii("000000012550"));
        fields.put(7, ascii("0412103015"));
        fields.put(11, ascii("004711"));
        fields.put(12, ascii("123015"));
        fields.put(13, ascii("0412"));
        fields.put(14, ascii("2812"));
        fields.put(18, ascii("5411"));
        fields.put(22, ascii("071"));
        fields.put(23, ascii("001"));
        fields.put(25, ascii("00"));
        fields.put(32, ascii("1101234567890"));
        fields.put(37, ascii("250412004711"));
        fields.put(41, ascii("TERM0042"));
        fields.put(42, ascii("MERCHANT0000042"));
        fields.put(43, ascii(String.format("%-25s%-13s%s", "ACME GROCERIES", "BERLIN", "DE")));
        fields.put(49, ascii("978"));
        ByteArrayOutputStream f55 = new ByteArrayOutputStream();
        f55.writeBytes(ascii(String.format("%03d", icc.length)));
        f55.writeBytes(icc);
        fields.put(55, f55.toByteArray());
        byte[] bitmap = new byte[8];
        for (int n : fields.keySet()) {
            bitmap[(n - 1) / 8] |= (byte) (0x80 >>> ((n - 1) % 8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("0100"));
        out.writeBytes(bitmap);
        fields.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
