package io.fluxrig.rack.runtime.patch;

/**
 * A directed link from an output to an input; at least one side is a gear port.
 *
 * @param from where messages leave (a gear output port or a wire)
 * @param to where messages arrive (a gear input port or a wire)
 */
public record Link(Endpoint from, Endpoint to) {
    @Override
    public String toString() {
        return from + " -> " + to;
    }
}
