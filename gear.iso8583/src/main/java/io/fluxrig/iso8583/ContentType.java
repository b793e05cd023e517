package io.fluxrig.iso8583;

/** What a field holds, as ISO 8583 names it; decides the value type and the allowed encodings. */
public enum ContentType {
    /** Numeric digits; text value (leading zeros kept). */
    N("n"),
    /** Alphanumeric text. */
    AN("an"),
    /** Alphanumeric and special characters. */
    ANS("ans"),
    /** Binary; a {@link io.fluxrig.msg.Bytes} value. */
    B("b"),
    /** Track 2 content: digits and the {@code =} separator (BCD nibble D). */
    Z("z"),
    /** A sign character ({@code C} credit or {@code D} debit) followed by digits. */
    XN("xn");

    private final String code;

    ContentType(String code) {
        this.code = code;
    }

    /** @return the name used in spec files */
    public String code() {
        return code;
    }

    /** @return true for the types whose value is text */
    public boolean isText() {
        return this != B;
    }

    /**
     * @param code a spec-file name
     * @return the type, or null when unknown
     */
    public static ContentType of(String code) {
        for (ContentType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        return null;
    }
}
