package io.fluxrig.msg;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Random but valid fluxMsg envelopes from a seeded {@link Random}, for property tests. */
public final class RandomMessages {
    private static final String[] WORDS = {"a", "id", "pan", "amount", "card", "x.y", "ü", "水", "emoji\ud83d\ude00",
        "", "longer-key-name-with-dashes", "$price", "$$", "Z", "aa", "ab", "b"};
    private final Random random;

    /** @param seed the seed */
    public RandomMessages(long seed) {
        this.random = new Random(seed);
    }

    /** @return the underlying generator */
    public Random random() {
        return random;
    }

    /** @return a random message */
    public FluxMsg next() {
        FluxMsg.Builder b = FluxMsg.builder()
                .id(new UUID(random.nextLong(), random.nextLong()))
                .ts(pickLong());
        if (random.nextBoolean()) {
            b.ref(new UUID(random.nextLong(), random.nextLong()));
        }
        if (random.nextBoolean()) {
            b.trace(String.format("00-%016x%016x-%016x-%02x", random.nextLong(), random.nextLong(),
                    random.nextLong(), random.nextInt(256)));
        }
        if (random.nextBoolean()) {
            b.src(text());
        }
        int metaCount = random.nextInt(4);
        for (int i = 0; i < metaCount; i++) {
            b.meta(text(), text());
        }
        int dataCount = random.nextInt(6);
        for (int i = 0; i < dataCount; i++) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(text(), value(3));
            b.data(one);
        }
        if (random.nextInt(3) == 0) {
            b.raw(bytes());
        }
        int hops = random.nextInt(3);
        for (int i = 0; i < hops; i++) {
            b.hop(new Hop(text(), text(), pickLong()));
        }
        return b.build();
    }

    private long pickLong() {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(48) - 24;
            case 1 -> Long.MIN_VALUE + random.nextInt(3);
            case 2 -> Long.MAX_VALUE - random.nextInt(3);
            case 3 -> (long) random.nextInt();
            default -> random.nextLong();
        };
    }

    private String text() {
        if (random.nextInt(3) > 0) {
            return WORDS[random.nextInt(WORDS.length)];
        }
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x2000) : 0x20 + random.nextInt(0x5f));
        }
        return sb.toString();
    }

    private byte[] bytes() {
        byte[] b = new byte[random.nextInt(40)];
        random.nextBytes(b);
        return b;
    }

    private Object value(int depth) {
        int kind = random.nextInt(depth > 0 ? 10 : 8);
        switch (kind) {
            case 0: return null;
            case 1: return text();
            case 2: return pickLong();
            case 3: return random.nextBoolean();
            case 4: return bytes();
            case 5: {
                double[] special = {0.0, -0.0, 1.5, 65504.0, 100000.0, Double.NaN,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 5.960464477539063e-8, 1e300};
                return random.nextBoolean() ? special[random.nextInt(special.length)]
                        : random.nextBoolean() ? (double) random.nextFloat() : random.nextDouble() * 1e6;
            }
            case 6:
            case 7: {
                BigInteger unscaled = new BigInteger(random.nextInt(100) + 1, random);
                if (random.nextBoolean()) {
                    unscaled = unscaled.negate();
                }
                return new BigDecimal(unscaled, random.nextInt(40) - 20);
            }
            case 8: {
                List<Object> l = new ArrayList<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    l.add(value(depth - 1));
                }
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    m.put(text(), value(depth - 1));
                }
                return m;
            }
        }
    }
}
