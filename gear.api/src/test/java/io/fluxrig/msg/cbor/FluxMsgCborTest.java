package io.fluxrig.msg.cbor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.msg.RandomMessages;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Envelope round trips, properties over random envelopes, fuzzing and resource limits. */
class FluxMsgCborTest {
    private static final FluxMsgCbor CBOR = FluxMsgCbor.standard();
    private static final UUID ID = UUID.fromString("019d3f2a-6b1c-7e42-9a5d-3c8e1f0b7a64");

    @Test
    void minimalEnvelopeLayout() throws Exception {
        FluxMsg m = FluxMsg.builder().id(ID).ts(1).build();
        // {"id": 37(h'...'), "ts": 1}
        assertEquals("a2626964d82550019d3f2a6b1c7e429a5d3c8e1f0b7a64627473" + "01",
                HexFormat.of().formatHex(CBOR.encode(m)));
        assertEquals(m, CBOR.decode(CBOR.encode(m)));
    }

    @Test
    void fullEnvelopeKeysInCanonicalOrder() throws Exception {
        FluxMsg m = FluxMsg.builder().id(ID).ts(-5).ref(ID).src("s").trace("00-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01")
                .meta("k", "v").data("amount", new BigDecimal("12.50")).raw(new byte[] {1})
                .hop(new Hop("r", "g", 7)).build();
        byte[] b = CBOR.encode(m);
        String hex = HexFormat.of().formatHex(b);
        String[] keys = {"6269" + "64", "6274" + "73", "63726177", "63726566", "63737263", "6464617461",
            "646d657461", "6470617468", "657472616365"};
        int last = -1;
        for (String k : keys) {
            int at = hex.indexOf(k, last + 1);
            assertTrue(at > last, "key " + k + " in order in " + hex);
            last = at;
        }
        assertEquals(m, CBOR.decode(b));
        assertTrue(hex.contains("c482211904e2"), "decimal 12.50 as tag 4 [-2, 1250]");
    }

    @Test
    void propertiesOverRandomEnvelopes() throws Exception {
        RandomMessages gen = new RandomMessages(20260412L);
        for (int i = 0; i < 5000; i++) {
            FluxMsg m = gen.next();
            byte[] b = CBOR.encode(m);
            FluxMsg back = CBOR.decode(b);
            assertEquals(m, back, "decode(encode(m)) #" + i);
            assertArrayEquals(b, CBOR.encode(back), "encode(decode(b)) #" + i);
            assertArrayEquals(b, CBOR.encode(m), "second encode #" + i);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CBOR.encode(m, out);
            assertArrayEquals(b, out.toByteArray(), "stream encode #" + i);
        }
    }

    @Test
    void decodeWithOffsetAndLength() throws Exception {
        FluxMsg m = FluxMsg.builder().id(ID).ts(1).data("a", 1L).build();
        byte[] b = CBOR.encode(m);
        byte[] framed = new byte[b.length + 7];
        System.arraycopy(b, 0, framed, 3, b.length);
        assertEquals(m, CBOR.decode(framed, 3, b.length));
        CborException e = assertThrows(CborException.class, () -> CBOR.decode(framed, 3, b.length + 1));
        assertEquals(b.length, e.offset(), "offset relative to off");
    }

    @Test
    void tsOfLongMinValueSurvives() throws Exception {
        FluxMsg m = FluxMsg.builder().id(ID).ts(Long.MIN_VALUE).build();
        assertEquals(Long.MIN_VALUE, CBOR.decode(CBOR.encode(m)).ts());
    }

    @Test
    void fuzzedEnvelopesOnlyEverFailWithCborException() throws Exception {
        RandomMessages gen = new RandomMessages(42L);
        Random r = new Random(7L);
        int rejected = 0;
        for (int i = 0; i < 20000; i++) {
            byte[] b = CBOR.encode(gen.next());
            byte[] mutated = mutate(b, r);
            try {
                FluxMsg m = CBOR.decode(mutated);
                // Anything accepted must be canonical: it re-encodes to the very same bytes.
                assertArrayEquals(mutated, CBOR.encode(m), "accepted input is canonical");
            } catch (CborException e) {
                rejected++;
                assertTrue(e.offset() >= 0 && e.offset() <= mutated.length, e.getMessage());
            } catch (RuntimeException | Error e) {
                fail("input " + HexFormat.of().formatHex(mutated) + " threw " + e, e);
            }
        }
        assertTrue(rejected > 10000, "most mutations are rejected: " + rejected);
    }

    private static byte[] mutate(byte[] b, Random r) {
        switch (r.nextInt(4)) {
            case 0:
                return Arrays.copyOf(b, r.nextInt(b.length));
            case 1: {
                byte[] c = b.clone();
                int flips = 1 + r.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return c;
            }
            case 2: {
                byte[] c = b.clone();
                c[r.nextInt(c.length)] = (byte) r.nextInt(256);
                return c;
            }
            default: {
                byte[] c = Arrays.copyOf(b, b.length + 1 + r.nextInt(4));
                int at = r.nextInt(b.length);
                System.arraycopy(b, at, c, at + c.length - b.length, b.length - at);
                for (int i = at; i < at + c.length - b.length; i++) {
                    c[i] = (byte) r.nextInt(256);
                }
                return c;
            }
        }
    }

    @Test
    void deepNestingIsACleanError() {
        int depth = 100_000;
        byte[] prefix = HexFormat.of().parseHex("a3626964d82550019d3f2a6b1c7e429a5d3c8e1f0b7a64627473" + "01" + "6464617461" + "a16178");
        byte[] b = new byte[prefix.length + depth];
        System.arraycopy(prefix, 0, b, 0, prefix.length);
        Arrays.fill(b, prefix.length, b.length, (byte) 0x81);
        CborException e = assertThrows(CborException.class, () -> CBOR.decode(b));
        assertEquals("nesting deeper than 32 levels", e.reason());
        assertEquals(prefix.length + 30, e.offset(), "the 31st nested array is level 33");
    }

    @Test
    void encoderRefusesWhatTheDecoderWouldRefuse() {
        Object v = 1L;
        for (int i = 0; i < 40; i++) {
            v = List.of(v);
        }
        FluxMsg deep = FluxMsg.builder().id(ID).ts(1).data("x", v).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CBOR.encode(deep));
        assertTrue(e.getMessage().contains("nesting deeper than 32"), e.getMessage());
        FluxMsg badText = FluxMsg.builder().id(ID).ts(1).data("x", "a\ud800").build();
        e = assertThrows(IllegalArgumentException.class, () -> CBOR.encode(badText));
        assertTrue(e.getMessage().contains("data x: unpaired surrogate"), e.getMessage());
    }

    @Test
    void hugeDeclaredLengthsFailWithoutAllocation() {
        String head = "a3626964d82550019d3f2a6b1c7e429a5d3c8e1f0b7a64627473" + "01" + "6464617461" + "a16178";
        int at = head.length() / 2;
        for (String item : List.of("5b8000000000000000", "7b8000000000000000", "9b8000000000000000",
                "bb8000000000000000", "5b7fffffffffffffff", "9a7fffffff")) {
            byte[] b = HexFormat.of().parseHex(head + item + "00");
            CborException e = assertThrows(CborException.class, () -> CBOR.decode(b), item);
            assertEquals(at, e.offset(), item);
            assertTrue(e.reason().startsWith("declared "), e.reason());
            assertTrue(e.reason().endsWith("exceeds the 1 bytes remaining"), e.reason());
        }
    }

    @Test
    void sizeLimit() throws Exception {
        FluxMsgCbor small = FluxMsgCbor.withLimits(CborLimits.DEFAULT.withMaxBytes(64));
        FluxMsg m = FluxMsg.builder().id(ID).ts(1).data("text", "x".repeat(100)).build();
        byte[] b = CBOR.encode(m);
        CborException e = assertThrows(CborException.class, () -> small.decode(b));
        assertEquals("offset 0: envelope of " + b.length + " bytes exceeds the limit of 64 bytes", e.getMessage());
        assertEquals(m, CBOR.decode(b));
        assertEquals(64, small.limits().maxBytes());
        assertThrows(IllegalArgumentException.class, () -> new CborLimits(2, 10));
        assertThrows(IllegalArgumentException.class, () -> new CborLimits(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new CborLimits(CborLimits.MAX_DEPTH_CAP + 1, 10));
    }

    @Test
    void configuredDepthLimit() throws Exception {
        FluxMsgCbor shallow = FluxMsgCbor.withLimits(CborLimits.DEFAULT.withMaxDepth(3));
        FluxMsg ok = FluxMsg.builder().id(ID).ts(1).data("x", List.of(1L)).build();
        assertEquals(ok, shallow.decode(shallow.encode(ok)));
        FluxMsg deeper = FluxMsg.builder().id(ID).ts(1).data("x", List.of(List.of(1L))).build();
        byte[] b = CBOR.encode(deeper);
        CborException e = assertThrows(CborException.class, () -> shallow.decode(b));
        assertEquals("nesting deeper than 3 levels", e.reason());
        assertThrows(IllegalArgumentException.class, () -> shallow.encode(deeper));
    }

}
