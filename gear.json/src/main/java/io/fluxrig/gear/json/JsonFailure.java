package io.fluxrig.gear.json;

/**
 * A JSON document that could not be read (or a value that cannot be written): where, as an
 * RFC 6901 JSON Pointer ({@code ""} is the whole document) and, for syntax errors, the byte offset,
 * line and column; and why.
 */
public final class JsonFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final String pointer;
    private final long offset;

    /**
     * @param pointer where in the document, as a JSON Pointer
     * @param offset byte (or character) offset of the failure, or -1 when unknown
     * @param location extra location text ("line 3, column 7"), or "" when none
     * @param reason what was wrong
     */
    public JsonFailure(String pointer, long offset, String location, String reason) {
        super("at " + (pointer.isEmpty() ? "document root" : pointer)
                + (offset >= 0 ? " (offset " + offset + (location.isEmpty() ? "" : ", " + location) + ")" : "")
                + ": " + reason);
        this.pointer = pointer;
        this.offset = offset;
    }

    /** @return the JSON Pointer of the failing value ("" = the document root) */
    public String pointer() {
        return pointer;
    }

    /** @return the offset of the failure in the input, or -1 when unknown */
    public long offset() {
        return offset;
    }
}
