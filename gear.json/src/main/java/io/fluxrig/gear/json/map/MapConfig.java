package io.fluxrig.gear.json.map;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of one {@code json.map} gear instance (factory PID {@code fluxrig.gear.json.map}). */
@ObjectClassDefinition(
        name = "fluxrig gear: json.map",
        description = "Builds a JSON document from data and meta with a declarative mapping (JSON Pointer targets, transforms).")
public @interface MapConfig {

    /** @return a shipped mapping's name, used when no file is given */
    @AttributeDefinition(name = "Mapping", required = false,
            description = "A shipped mapping: iso-auth-request or auth-decision-iso. Ignored when a mapping file is set.")
    String mapping() default "";

    /** @return a mapping file path */
    @AttributeDefinition(name = "Mapping file", required = false,
            description = "Path of a JSON or YAML (.yaml/.yml) mapping file, read once at activation; overrides Mapping.")
    String mapping_file() default "";

    /** @return where the document goes */
    @AttributeDefinition(name = "Target",
            description = "'data': the document replaces the data; 'raw': the document as JSON bytes in raw (data kept); "
                    + "any other value: a data key (dotted path) that receives the document, other data kept.")
    String target() default "data";
}
