package io.fluxrig.snake.api;

/**
 * The answer to {@link OperatorPaths#OPERATOR_TOKEN_ROTATE}: the new operator token, given once
 * (the Mixer keeps only its hash and its own {@link OperatorTokenFiles#TOKEN}). Store it in a 0600
 * file; never print or log it.
 *
 * @param token the new token
 * @param expires when it expires (ISO-8601), or null for never
 */
public record OperatorTokenReply(String token, String expires) {
    @Override
    public String toString() {
        return "OperatorTokenReply[token=***, expires=" + expires + "]";
    }
}
