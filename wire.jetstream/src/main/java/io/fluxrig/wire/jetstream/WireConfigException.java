package io.fluxrig.wire.jetstream;

/**
 * A wire's stream or consumer on the server conflicts with this rack's configuration. The
 * message names the stream (or consumer) and every field that differs; nothing was changed on
 * the server. Not retried: an operator has to reconcile the definitions.
 */
public final class WireConfigException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    WireConfigException(String message) {
        super(message);
    }
}
