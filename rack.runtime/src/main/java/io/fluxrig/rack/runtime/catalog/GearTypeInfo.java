package io.fluxrig.rack.runtime.catalog;

import io.fluxrig.gear.Gear;
import java.util.List;
import java.util.Map;

/**
 * A gear type known to the rack: from a bundle's {@code fluxrig.gear} capability (type, ports)
 * and the metatype of its factory PID (configuration attributes). Immutable.
 *
 * @param type the type name
 * @param in input ports
 * @param out output ports ({@value Gear#PORT_ERROR} is always an output in addition)
 * @param bundle the providing bundle's symbolic name and version
 * @param description the one-line description
 * @param attributes configuration attributes by id, or null when the type has no metatype
 *     (then configuration is passed through unchecked)
 */
public record GearTypeInfo(String type, List<String> in, List<String> out, String bundle, String description,
        Map<String, ConfigAttribute> attributes) {

    /** Copies the port lists. */
    public GearTypeInfo {
        in = List.copyOf(in);
        out = List.copyOf(out);
        attributes = attributes == null ? null : Map.copyOf(attributes);
    }

    /** @param port a port name @return true when messages can be sent to it */
    public boolean hasInput(String port) {
        return in.contains(port);
    }

    /** @param port a port name @return true when messages can leave from it */
    public boolean hasOutput(String port) {
        return Gear.PORT_ERROR.equals(port) || out.contains(port);
    }

    /** @return the input ports as text, e.g. {@code "in"} or {@code "none"} */
    public String inputs() {
        return in.isEmpty() ? "none" : String.join(", ", in);
    }

    /** @return the output ports as text, always ending with {@code error} */
    public String outputs() {
        return out.isEmpty() ? Gear.PORT_ERROR : String.join(", ", out) + ", " + Gear.PORT_ERROR;
    }
}
