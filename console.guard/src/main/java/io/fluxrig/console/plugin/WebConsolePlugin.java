package io.fluxrig.console.plugin;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for a Felix Web Console plugin servlet: becomes the service properties
 * {@code felix.webconsole.label}, {@code felix.webconsole.title}, {@code felix.webconsole.category}.
 * Put it on a DS component that provides {@code jakarta.servlet.Servlet}:
 * {@code @WebConsolePlugin(label = "fluxrig", title = "fluxrig", category = "fluxrig")}. Read by
 * bnd at build time (class retention): a bundle using it does not import this package.
 */
@ComponentPropertyType
@Retention(CLASS)
@Target(TYPE)
public @interface WebConsolePlugin {
    /** Property prefix. */
    String PREFIX_ = "felix.webconsole.";

    /** @return the last URL segment of the page */
    String label();

    /** @return the page title */
    String title();

    /** @return the navigation menu category */
    String category();
}
