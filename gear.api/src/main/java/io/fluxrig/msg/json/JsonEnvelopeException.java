package io.fluxrig.msg.json;

/**
 * A JSON envelope was rejected by {@link FluxMsgJson}. The message reads {@code PATH: reason},
 * where PATH is a JSON path such as {@code $.data.card.pan} or {@code $.path[1].ts}.
 */
public final class JsonEnvelopeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    /**
     * @param path JSON path of the fault ({@code $} for the whole document)
     * @param reason what is wrong there
     */
    public JsonEnvelopeException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
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
