package io.fluxrig.rack.runtime.patch;

/**
 * One end of a link: a gear instance's port ({@code tick.out}) or a Wire ({@code wire:errors}).
 *
 * @param gear the gear instance name, or null for a wire
 * @param port the port name, or null for a wire
 * @param wire the wire name, or null for a gear port
 */
public record Endpoint(String gear, String port, String wire) {

    /** Text prefix of a wire endpoint. */
    public static final String WIRE_PREFIX = "wire:";

    /** @param gear instance @param port port @return a gear port endpoint */
    public static Endpoint gear(String gear, String port) {
        return new Endpoint(gear, port, null);
    }

    /** @param wire the wire name @return a wire endpoint */
    public static Endpoint wire(String wire) {
        return new Endpoint(null, null, wire);
    }

    /** @return true for a wire endpoint */
    public boolean isWire() {
        return wire != null;
    }

    /** @return true for a wire whose name is computed per message ({@code ${meta.KEY}}, see {@link WireTemplate}) */
    public boolean isTemplate() {
        return WireTemplate.isTemplate(wire);
    }

    @Override
    public String toString() {
        return isWire() ? WIRE_PREFIX + wire : gear + "." + port;
    }
}
