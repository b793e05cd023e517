package io.fluxrig.gear;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.CLASS;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * Declares a gear type and its ports on the component class that implements it. bnd turns it
 * into a {@value #NAMESPACE} capability in the bundle manifest, so a rack (and the Mixer's
 * pre-flight check) knows which gear types a bundle brings, and which ports each has, before
 * any instance exists; a patch that links an unknown port is refused from that.
 *
 * <pre>
 * &#64;GearType(value = "timer", in = {}, out = "out")
 * &#64;Component(configurationPid = "fluxrig.gear.timer", configurationPolicy = REQUIRE)
 * public class TimerGear implements Gear { ... }
 * </pre>
 */
@Retention(CLASS)
@Target(TYPE)
@Capability(namespace = GearType.NAMESPACE)
public @interface GearType {

    /** The capability namespace. */
    String NAMESPACE = "fluxrig.gear";

    /** @return the gear type name; its factory PID is {@code fluxrig.gear.<name>} */
    @Attribute(NAMESPACE)
    String value();

    /** @return the input ports (a source has none) */
    @Attribute("in")
    String[] in() default {Gear.PORT_IN};

    /** @return the output ports ({@value Gear#PORT_ERROR} is always available in addition) */
    @Attribute("out")
    String[] out() default {Gear.PORT_OUT};

    /** @return a one-line description shown in consoles */
    @Attribute("description")
    String description() default "";
}
