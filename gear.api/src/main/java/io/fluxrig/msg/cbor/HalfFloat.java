package io.fluxrig.msg.cbor;

/**
 * IEEE 754 binary16 conversions for float shortening (Java 17 has no {@code Float.float16ToFloat}).
 * Stateless.
 */
final class HalfFloat {
    /** The one NaN encoding deterministic CBOR allows (f9 7e00). */
    static final int CANONICAL_NAN = 0x7e00;

    private HalfFloat() {
    }

    /**
     * @param d a value (not NaN)
     * @return its binary16 bits when {@code d} is exactly representable as binary16, else -1
     */
    static int exactBits(double d) {
        float f = (float) d;
        if ((double) f != d && !Double.isNaN(d)) {
            return -1;
        }
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xff) - 127;
        int mant = bits & 0x7fffff;
        if (Float.isInfinite(f)) {
            return sign | 0x7c00;
        }
        if (f == 0.0f) {
            return sign;
        }
        if (exp >= -14 && exp <= 15) {
            return (mant & 0x1fff) == 0 ? sign | ((exp + 15) << 10) | (mant >>> 13) : -1;
        }
        if (exp >= -24 && exp < -14) {
            // Subnormal binary16: value = k * 2^-24 with k < 1024, i.e. sig * 2^(exp+1).
            int sig = mant | 0x800000;
            int shift = -(exp + 1);
            return (sig & ((1 << shift) - 1)) == 0 ? sign | (sig >>> shift) : -1;
        }
        return -1;
    }

    /** @param h binary16 bits @return the value */
    static double toDouble(int h) {
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        double value;
        if (exp == 0) {
            value = Math.scalb((double) mant, -24);
        } else if (exp == 31) {
            value = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            value = Math.scalb((double) (mant | 0x400), exp - 25);
        }
        return (h & 0x8000) != 0 ? -value : value;
    }

    /** @param h binary16 bits @return whether they are a NaN */
    static boolean isNaN(int h) {
        return (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
    }
}
