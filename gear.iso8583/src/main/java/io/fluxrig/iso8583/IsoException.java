package io.fluxrig.iso8583;

/**
 * A message could not be decoded or encoded. The message names the part, the reason and, when
 * decoding, the byte offset from the start of the message:
 * {@code field 35: LL length 47 exceeds maximum 37 at offset 112}. Part names are
 * {@code field N}, {@code mti}, {@code bitmap} and {@code message} (for trailing bytes and the
 * like). It never contains the value of a field, so it is safe to log.
 */
public class IsoException extends Exception {
    private static final long serialVersionUID = 1L;

    /** {@link #field()} of an error about the message as a whole. */
    public static final int MESSAGE = -1;
    /** {@link #field()} of an MTI error. */
    public static final int MTI = 0;
    /** {@link #field()} of a bitmap error. */
    public static final int BITMAP = 1;

    private final int field;
    private final int offset;
    private final String reason;

    /**
     * @param field the field number, or {@link #MESSAGE}, {@link #MTI}, {@link #BITMAP}
     * @param offset the byte offset from the start of the message, or -1 when encoding
     * @param reason what is wrong
     */
    public IsoException(int field, int offset, String reason) {
        super(part(field) + ": " + reason + (offset >= 0 ? " at offset " + offset : ""));
        this.field = field;
        this.offset = offset;
        this.reason = reason;
    }

    private static String part(int field) {
        return switch (field) {
            case MESSAGE -> "message";
            case MTI -> "mti";
            case BITMAP -> "bitmap";
            default -> "field " + field;
        };
    }

    /** @return the field number, or {@link #MESSAGE}, {@link #MTI}, {@link #BITMAP} */
    public int field() {
        return field;
    }

    /** @return the byte offset from the start of the message, or -1 (encoding) */
    public int offset() {
        return offset;
    }

    /** @return the reason alone, without part and offset */
    public String reason() {
        return reason;
    }
}
