package io.fluxrig.msg.cbor;

/**
 * A CBOR envelope was rejected by {@link FluxMsgCbor#decode(byte[])}. The message reads
 * {@code offset N: reason}, where N is the byte offset, from the start of the envelope, of the
 * data item (or byte) at fault.
 */
public final class CborException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String reason;

    /**
     * @param offset byte offset from the start of the envelope
     * @param reason what is wrong there
     */
    public CborException(int offset, String reason) {
        super("offset " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** @return the byte offset of the fault, from the start of the envelope */
    public int offset() {
        return offset;
    }

    /** @return the reason, without the offset */
    public String reason() {
        return reason;
    }
}
