package io.fluxrig.rack.runtime.patch;

import java.util.Map;

/**
 * One gear instance of a patch, as written.
 *
 * @param name the instance name ({@code [a-z][a-z0-9_-]*}), unique in the rack
 * @param type the gear type ({@code fluxrig.gear} capability)
 * @param config configuration values as read from YAML (String, Long, Double, Boolean, or a List
 *     of those), immutable, in file order; converted to the declared types by the validator
 */
public record GearSpec(String name, String type, Map<String, Object> config) {
}
