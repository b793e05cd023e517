package io.fluxrig.msg.json;

/**
 * A JSON envelope was rejected by {@link FluxMsgJson}. The message reads {@code PATH: reason},
 * where PATH is a JSON path such as {@code $.data.card.pan} or {@code $.path[1].ts}.
 */
public final class JsonEnvelopeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;
    private final long offset;

    /**
     * @param path JSON path of the fault ({@code $} for the whole document)
     * @param reason what is wrong there
     */
    public JsonEnvelopeException(String path, String reason) {
        this(path, reason, -1);
    }

    /**
     * @param path JSON path of the fault ({@code $} for the whole document)
     * @param reason what is wrong there
     * @param offset byte offset in the input where the fault was found, or -1 when unknown
     * @since 1.1
     */
    public JsonEnvelopeException(String path, String reason, long offset) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
        this.offset = offset;
    }

    /**
     * @return byte offset in the input where the fault was found, or -1 when unknown; the
     *     message of a value read ({@link FluxMsgJson#readValue}) names it with line and column
     * @since 1.1
     */
    public long offset() {
        return offset;
    }

    /** @return the JSON path of the fault */
    public String path() {
        return path;
    }

    /** @return the reason, without the path */
    public String reason() {
        return reason;
    }
}
