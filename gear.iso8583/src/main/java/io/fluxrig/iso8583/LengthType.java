package io.fluxrig.iso8583;

/** Fixed length, or a variable length announced by a prefix of 2, 3 or 4 decimal digits. */
public enum LengthType {
    /** Fixed length, no prefix. */
    FIXED(0),
    /** Up to 99. */
    LL(2),
    /** Up to 999. */
    LLL(3),
    /** Up to 9999. */
    LLLL(4);

    private final int digits;

    LengthType(int digits) {
        this.digits = digits;
    }

    /** @return the number of decimal digits of the prefix (0 when fixed) */
    public int digits() {
        return digits;
    }

    /** @return the largest length the prefix can announce */
    public int capacity() {
        return digits == 0 ? Integer.MAX_VALUE : (int) Math.pow(10, digits) - 1;
    }
}
