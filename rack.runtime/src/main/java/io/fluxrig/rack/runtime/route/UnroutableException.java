package io.fluxrig.rack.runtime.route;

/**
 * A message that no link target can take because of its own content, e.g. a wire name computed
 * from meta that is missing or not a wire name. Like any failure of an emit it reaches the
 * emitting gear (whose error port gets the message); when the chain runs for a wire delivery,
 * the delivery is failed with the same reason as well.
 */
final class UnroutableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnroutableException(String message) {
        super(message);
    }
}
