package io.fluxrig.rack.runtime.console;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for the Gogo command whiteboard: becomes the service properties
 * {@code osgi.command.scope} and {@code osgi.command.function}.
 */
@ComponentPropertyType
@Retention(CLASS)
@Target(TYPE)
@interface GogoCommand {
    /** Property prefix. */
    String PREFIX_ = "osgi.command.";

    /** @return the command scope */
    String scope();

    /** @return the command names (public methods of the service object) */
    String[] function();
}
