package io.fluxrig.msg.cbor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fluxrig.msg.Bytes;
import io.fluxrig.msg.FluxMsg;
import io.fluxrig.msg.Hop;
import io.fluxrig.msg.RandomMessages;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What the codec's fast paths must not change: the exact error texts (built only on
 * failure), text on both sides of the length where Jackson's own string writer stops being used,
 * decoded parts built without a FluxMsg.Builder, and encoding from several threads at once
 * (Jackson's recycled buffers).
 */
class CodecFastPathTest {
    private static final FluxMsgCbor CBOR = FluxMsgCbor.standard();
    private static final UUID ID = UUID.fromString("019d3f2a-6b1c-7e42-9a5d-3c8e1f0b7a64");
    private static final String UNPAIRED = ": unpaired surrogate at char %d cannot be encoded as UTF-8";

    private static void refused(String expected, UnaryOperator<FluxMsg.Builder> content) {
        FluxMsg m = content.apply(FluxMsg.builder().id(ID).ts(1)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CBOR.encode(m));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void encoderErrorTextsNameTheExactPlace() {
        refused("src" + UNPAIRED.formatted(0), b -> b.src("\ud800"));
        refused("meta" + UNPAIRED.formatted(1), b -> b.meta("k\ud800", "v"));
        refused("meta k" + UNPAIRED.formatted(1), b -> b.meta("k", "v\udc00"));
        refused("path rack" + UNPAIRED.formatted(1), b -> b.hop(new Hop("r\ud800", "g", 1)));
        refused("path gear" + UNPAIRED.formatted(0), b -> b.hop(new Hop("r", "\ud800", 1)));
        refused("data x" + UNPAIRED.formatted(1), b -> b.data("x", "a\ud800"));
        refused("data a.b" + UNPAIRED.formatted(1), b -> b.data("a.b", "x\ud800"));
        refused("data l.1" + UNPAIRED.formatted(0), b -> b.data("l", List.of("ok", "\ud800")));
        refused("data l.1.m" + UNPAIRED.formatted(0), b -> b.data("l", List.of("ok", Map.of("m", "\ud800"))));
        refused("data m.k\udc00" + UNPAIRED.formatted(1), b -> b.data("m", Map.of("k\udc00", 1L)));
        refused("data " + "y".repeat(30) + UNPAIRED.formatted(0), b -> b.data("y".repeat(30), "\ud800"));
        Object deep = 1L;
        for (int i = 0; i < 40; i++) {
            deep = List.of(deep);
        }
        Object v = deep;
        refused("data x" + ".0".repeat(30) + ": nesting deeper than 32 levels cannot be decoded", b -> b.data("x", v));
    }

    @Test
    void textAroundJacksonsShortStringLimitRoundTrips() throws Exception {
        // 23 chars is the longest text Jackson's own string writer handles here; 24 and beyond,
        // and text of thousands of chars, take the UTF-8 byte path. Both must give definite
        // lengths with shortest heads (the decoder refuses anything else).
        List<String> texts = new ArrayList<>();
        for (String unit : List.of("a", "ü", "水", "\ud83d\ude00")) {
            for (int n : new int[] {0, 1, 11, 12, 22, 23, 24, 25, 255, 256, 3996, 3997, 5000, 70_000}) {
                String t = unit.repeat(n / unit.length() + 1).substring(0, n);
                if (!t.isEmpty() && Character.isHighSurrogate(t.charAt(t.length() - 1))) {
                    t = t.substring(0, t.length() - 1);
                }
                texts.add(t);
            }
        }
        for (String t : texts) {
            FluxMsg.Builder b = FluxMsg.builder().id(ID).ts(1).src(t).meta("k", t).data("v", t);
            if (!t.isEmpty()) {
                b.data(t, 1L).meta(t, "v");
            }
            FluxMsg m = b.build();
            byte[] cbor = CBOR.encode(m);
            assertEquals(m, CBOR.decode(cbor), () -> "length " + t.length());
            assertArrayEquals(cbor, CBOR.encode(CBOR.decode(cbor)));
        }
        // Jackson's writer moves a short string behind a two-byte head when its UTF-8 is longer
        // than 23 bytes: 23 × "水" is 69 bytes, head 78 45.
        byte[] cbor = CBOR.encode(FluxMsg.builder().id(ID).ts(1).src("水".repeat(23)).build());
        String hex = HexFormat.of().formatHex(cbor);
        assertEquals("637372637845e6b0b4", hex.substring(54, 72));
    }

    @Test
    void decodedPartsAreImmutableAndEqualToBuiltOnes() throws Exception {
        RandomMessages random = new RandomMessages(11);
        for (int i = 0; i < 500; i++) {
            FluxMsg m = random.next();
            FluxMsg d = CBOR.decode(CBOR.encode(m));
            assertEquals(m, d);
            assertEquals(m.data().hashCode(), d.data().hashCode());
            assertEquals(m.meta().hashCode(), d.meta().hashCode());
            assertEquals(List.copyOf(m.data().keySet()), List.copyOf(d.data().keySet()));
            assertEquals(List.copyOf(m.meta().keySet()), List.copyOf(d.meta().keySet()));
            assertEquals(m.path(), d.path());
            assertThrows(UnsupportedOperationException.class, () -> d.data().put("x", 1L));
            assertThrows(UnsupportedOperationException.class, () -> d.meta().put("x", "y"));
            assertThrows(UnsupportedOperationException.class, () -> d.path().add(new Hop("r", "g", 1)));
            for (Object value : d.data().values()) {
                if (value instanceof Map<?, ?> nested) {
                    assertThrows(UnsupportedOperationException.class, nested::clear);
                } else if (value instanceof List<?> list) {
                    assertThrows(UnsupportedOperationException.class, () -> list.add(null));
                }
            }
            // A decoded message is as good as a built one: deriving and rebuilding keep it equal.
            assertEquals(d, d.toBuilder().build());
            assertEquals(m.toBuilder().data("extra", 1L).build(), d.toBuilder().data("extra", 1L).build());
        }
    }

    @Test
    void declaredCountsDoNotSizeAllocationsAtEveryLevel() {
        // 30 nested arrays, each declaring 983040 elements (0x9a000f0000), the innermost
        // failing at once, then 1 MB of filler so that every declared count passes the
        // remaining-bytes check. Sizing each level's array by its declared count would allocate
        // about 30 × 4 MB here; growing as elements arrive allocates next to nothing.
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        String head = "a3626964d82550019d3f2a6b1c7e429a5d3c8e1f0b7a64627473" + "01" + "6464617461" + "a16178";
        byte[] prefix = HexFormat.of().parseHex(head + "9a000f0000".repeat(30) + "ff");
        byte[] b = new byte[prefix.length + 1_000_000];
        System.arraycopy(prefix, 0, b, 0, prefix.length);
        for (int warm = 0; warm < 3; warm++) {
            assertThrows(CborException.class, () -> CBOR.decode(b));
        }
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        CborException e = assertThrows(CborException.class, () -> CBOR.decode(b));
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(prefix.length - 1, e.offset());
        assertTrue(allocated < b.length, "allocated " + allocated + " bytes for a " + b.length + "-byte input");
    }

    @Test
    void decimalsOnBothSidesOfTheLongMantissaFastPath() throws Exception {
        List<BigDecimal> values = new ArrayList<>();
        for (BigInteger m : List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(-1),
                BigInteger.valueOf(Long.MAX_VALUE), BigInteger.valueOf(Long.MIN_VALUE),
                BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE),
                BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(64).negate(),
                BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(64).negate().subtract(BigInteger.ONE))) {
            for (int scale : new int[] {0, 2, -3, Integer.MAX_VALUE, Integer.MIN_VALUE + 1}) {
                values.add(new BigDecimal(m, scale));
            }
        }
        for (BigDecimal v : values) {
            FluxMsg m = FluxMsg.builder().id(ID).ts(1).data("d", v).build();
            FluxMsg d = CBOR.decode(CBOR.encode(m));
            BigDecimal back = d.getDecimal("d");
            assertEquals(v.unscaledValue(), back.unscaledValue(), v::toString);
            assertEquals(v.scale(), back.scale(), v::toString);
            assertEquals(m, d);
        }
    }

    @Test
    void bytesAreWrittenWithoutBeingChangedOrShared() throws Exception {
        byte[] raw = new byte[20_000]; // beyond Jackson's 16000-byte output buffer
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 31);
        }
        FluxMsg m = FluxMsg.builder().id(ID).ts(1).raw(raw).data("b", Bytes.of(raw, 0, 100)).build();
        FluxMsg d = CBOR.decode(CBOR.encode(m));
        assertEquals(m, d);
        assertArrayEquals(raw, m.raw().toByteArray());
        assertArrayEquals(raw, d.raw().toByteArray());
    }

    @Test
    void concurrentEncodesGiveTheSameBytes() throws Exception {
        RandomMessages random = new RandomMessages(5);
        List<FluxMsg> messages = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            FluxMsg m = random.next();
            messages.add(m);
            expected.add(CBOR.encode(m));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < messages.size(); i++) {
                            assertArrayEquals(expected.get(i), CBOR.encode(messages.get(i)));
                            assertEquals(messages.get(i), CBOR.decode(expected.get(i)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
