package io.fluxrig.iso8583;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;

/**
 * What the coverage-guided fuzz tests check for each input: decode either fails with the checked
 * {@link IsoException} naming a part (MTI, bitmap, message or field number), an offset within the
 * input and a reason, or succeeds; then the message re-encodes to exactly the input and that
 * decodes to an equal message. Anything else (an unchecked exception, a failed assertion) is a
 * finding. Allocation is bounded too: decoding may allocate at most {@value #ALLOC_PER_BYTE}
 * bytes per input byte plus {@value #ALLOC_FIXED} (a length read from the input must never size
 * an allocation); hangs are caught by Jazzer's per-input timeout. One instance per fuzz test.
 */
final class RoundTripOracle {
    static final long ALLOC_PER_BYTE = 64;
    static final long ALLOC_FIXED = 64 * 1024;

    private final IsoCodec codec;
    private final com.sun.management.ThreadMXBean threads;

    RoundTripOracle(String dialect) {
        this.codec = IsoCodec.of(Dialects.builtIn(dialect));
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        this.threads = bean instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported() ? t : null;
        warmUp();
    }

    /**
     * Runs every code path once before measuring, so class loading and first-use initialisation
     * are not counted as the allocation of a fuzz input.
     */
    private void warmUp() {
        RandomIso gen = new RandomIso(7L, false);
        try {
            for (int i = 0; i < 300; i++) {
                byte[] b = codec.encode(gen.message(codec.spec()));
                codec.decode(b);
                try {
                    codec.decode(java.util.Arrays.copyOf(b, b.length / 2));
                } catch (IsoException expected) {
                    expected.getMessage();
                }
            }
        } catch (IsoException e) {
            throw new IllegalStateException("warm-up message refused: " + e.getMessage(), e);
        }
    }

    void check(byte[] input) {
        long before = allocated();
        IsoMessage msg;
        try {
            msg = codec.decode(input);
        } catch (IsoException e) {
            checkAllocation(before, input);
            assertNotNull(e.reason());
            assertFalse(e.reason().isBlank(), "an error must give a reason");
            assertTrue(e.field() >= IsoException.MESSAGE && e.field() <= 192, () -> "part out of range: " + e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= input.length, () -> "offset out of range: " + e.getMessage());
            assertTrue(e.getMessage().contains(" at offset " + e.offset()), () -> "the message must name the offset: " + e.getMessage());
            return;
        }
        checkAllocation(before, input);
        byte[] again;
        try {
            again = codec.encode(msg);
        } catch (IsoException e) {
            fail("an accepted message must encode again, but: " + e.getMessage(), e);
            return;
        }
        assertArrayEquals(input, again, "an accepted input must re-encode to the same bytes");
        try {
            assertEquals(msg, codec.decode(again), "the re-encoded bytes must decode to an equal message");
        } catch (IsoException e) {
            fail("re-encoded bytes must decode, but: " + e.getMessage(), e);
        }
    }

    private long allocated() {
        return threads == null ? 0 : threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * The first run of a code path links it (string concatenation call sites, lambdas, class
     * loading), which allocates far more than the path itself: over the limit, the decode is
     * measured once more, and only a decode that is over the limit again is a finding.
     */
    private void checkAllocation(long before, byte[] input) {
        if (threads == null) {
            return;
        }
        long limit = ALLOC_FIXED + ALLOC_PER_BYTE * input.length;
        if (allocated() - before <= limit) {
            return;
        }
        long again = allocated();
        try {
            codec.decode(input);
        } catch (IsoException expected) {
            // the same outcome as the first time; only its allocation matters here
        }
        long used = allocated() - again;
        assertTrue(used <= limit, () -> "decoding " + input.length + " bytes allocated " + used + " bytes (limit " + limit + ")");
    }
}
