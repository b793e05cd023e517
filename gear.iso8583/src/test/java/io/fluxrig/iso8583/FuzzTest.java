package io.fluxrig.iso8583;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mutation fuzzing with a fixed seed: flipped bits, random bytes, truncations, insertions,
 * deletions and duplicated slices of valid messages, plus a cut at every byte offset. Any input
 * either decodes (and then re-encodes to itself) or fails with {@link IsoException}; no other
 * exception, and the whole run is bounded in time, so nothing hangs.
 */
class FuzzTest {
    private static final int BASES = 300;
    private static final int MUTATIONS = 25;

    @ParameterizedTest
    @ValueSource(strings = {"iso87ascii", "iso87binary", "iso93ascii"})
    void mutationsOnlyEverGiveTheCheckedError(String dialect) throws Exception {
        IsoCodec codec = IsoCodec.of(Dialects.builtIn(dialect));
        RandomIso gen = new RandomIso(55L + dialect.hashCode(), false);
        Random r = gen.random();
        int rejected = 0;
        int accepted = 0;
        long started = System.nanoTime();
        for (int i = 0; i < BASES; i++) {
            byte[] valid = codec.encode(gen.message(codec.spec()));
            for (int k = 0; k < MUTATIONS; k++) {
                byte[] input = mutate(valid, r);
                if (check(codec, input)) {
                    accepted++;
                } else {
                    rejected++;
                }
            }
            if (i % 30 == 0) {
                for (int cut = 0; cut < valid.length; cut++) {
                    assertTrue(!check(codec, Arrays.copyOf(valid, cut)) || cut == 0 && valid.length == 0);
                    rejected++;
                }
            }
        }
        assertTrue(rejected > BASES * MUTATIONS / 4, "rejected " + rejected + ", accepted " + accepted);
        assertTrue(System.nanoTime() - started < 60_000_000_000L, "fuzz run took too long");
    }

    /** @return true when accepted (and then checked to round-trip), false when rejected */
    private static boolean check(IsoCodec codec, byte[] input) {
        try {
            IsoMessage m = codec.decode(input);
            assertArrayEquals(input, codec.encode(m), () -> "accepted input must re-encode to itself: " + HexFormat.of().formatHex(input));
            return true;
        } catch (IsoException expected) {
            assertTrue(expected.getMessage().contains(" at offset ") && expected.offset() >= 0 && expected.offset() <= input.length,
                    expected.getMessage());
            return false;
        } catch (RuntimeException | Error e) {
            fail("unchecked " + e + " for " + HexFormat.of().formatHex(input), e);
            return false;
        }
    }

    private static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int n = Math.max(1, b.length);
        switch (r.nextInt(6)) {
            case 0 -> {
                if (b.length > 0) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> {
                if (b.length > 0) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, r.nextInt(n));
            case 3 -> {
                int at = r.nextInt(n);
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, Math.min(at, b.length));
                out[Math.min(at, b.length)] = (byte) r.nextInt(256);
                System.arraycopy(b, Math.min(at, b.length), out, Math.min(at, b.length) + 1, b.length - Math.min(at, b.length));
                b = out;
            }
            case 4 -> {
                if (b.length > 1) {
                    int at = r.nextInt(b.length);
                    byte[] out = new byte[b.length - 1];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                    b = out;
                }
            }
            default -> {
                int from = r.nextInt(n);
                int len = r.nextInt(Math.max(1, b.length - from));
                byte[] out = Arrays.copyOf(b, b.length + len);
                System.arraycopy(b, from, out, b.length, len);
                b = out;
            }
        }
        return b;
    }
}
