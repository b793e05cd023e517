package io.fluxrig.gear.basic;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one {@code transform} gear instance (factory PID {@code fluxrig.gear.transform}).
 * Operations run in this order: set, meta, copy, remove, upper; each list in its own order.
 */
@ObjectClassDefinition(
        name = "fluxrig gear: transform",
        description = "Declarative field operations: set, meta, copy, remove, upper (in that order).")
public @interface TransformConfig {

    /** @return {@code path=value} entries; the value is stored as text */
    @AttributeDefinition(name = "Set", description = "Entries path=value: sets data at the dotted path to the text value.")
    String[] set() default {};

    /** @return {@code key=value} meta entries */
    @AttributeDefinition(name = "Meta", description = "Entries key=value: sets the meta key (dotted) to the text value, e.g. reply.rack=edge-1 (a patch may write the rack variable there).")
    String[] meta() default {};

    /** @return {@code from=to} entries */
    @AttributeDefinition(name = "Copy", description = "Entries from=to: copies the value at one dotted path to another; a missing source is skipped.")
    String[] copy() default {};

    /** @return dotted paths to remove */
    @AttributeDefinition(name = "Remove", description = "Dotted paths to remove from data; a missing path is skipped.")
    String[] remove() default {};

    /** @return dotted paths whose text is upper-cased */
    @AttributeDefinition(name = "Upper", description = "Dotted paths whose text value is upper-cased; a non-text value rejects the message.")
    String[] upper() default {};
}
