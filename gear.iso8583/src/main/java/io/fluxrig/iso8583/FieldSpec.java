package io.fluxrig.iso8583;

/**
 * One data element of a dialect. Lengths count the value's units, never wire bytes: digits or
 * characters for text types, bytes for {@code b}; a prefix announces the same unit.
 *
 * @param number the field number (2..128, or up to 192 with a tertiary bitmap)
 * @param type what the field holds
 * @param lengthType fixed or LL/LLL/LLLL
 * @param length the fixed length, or the maximum for a variable field
 * @param encoding how the content is written
 * @param prefix how the length prefix is written (ignored when fixed)
 * @param padding how encode fills a short fixed value
 * @param nibble where the spare nibble of an odd BCD digit count goes
 * @param description what the field is, for people
 * @param alias a second data key for the field ({@code pan}), or null
 * @param sensitivity how the value is masked
 * @param tlv true when the bytes are BER-TLV (EMV data) decoded into a list of tags
 */
public record FieldSpec(int number, ContentType type, LengthType lengthType, int length, Encoding encoding,
        Encoding prefix, Padding padding, Nibble nibble, String description, String alias,
        Sensitivity sensitivity, boolean tlv) {

    /** @return true when a prefix announces the length */
    public boolean isVariable() {
        return lengthType != LengthType.FIXED;
    }

    /** @return the data key of the field: its number as text */
    public String key() {
        return Integer.toString(number);
    }

    /** @return a short form such as {@code n LL19 bcd/bcd}, for messages and docs */
    public String shape() {
        return type.code() + " " + (isVariable() ? lengthType.name() : "") + length + " " + encoding.code()
                + (isVariable() ? "/" + prefix.code() : "");
    }
}
