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
 * &#64;GearType(value = "timer", in = {}, out = "out", description = "Emits a message every interval")
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

    /**
     * @return the input ports; {@code {}} for a source. Required, without a default: bnd writes
     *     only the values an annotation states into the capability, so a default would be lost.
     */
    @Attribute("in")
    String[] in();

    /**
     * @return the output ports, {@code {}} for a sink; {@value Gear#PORT_ERROR} is always available
     *     in addition. Required, for the same reason as {@link #in()}.
     */
    @Attribute("out")
    String[] out();

    /** @return a one-line description shown in consoles */
    @Attribute("description")
    String description() default "";
}
